"""The judge's side of the trust boundary: starts sandboxes and reads their replies as hostile input."""
