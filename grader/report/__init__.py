"""Reports: the same results as a terminal table, a JSON document and a self-contained HTML page."""
