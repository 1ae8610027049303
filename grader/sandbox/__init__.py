"""The sandbox: student code runs here, in children forked from a clean warm process."""
