"""Sandboxed autograder for PyTorch exercises.

Kept import-light on purpose: the sandbox's warm process imports parts of this package,
and nothing heavy (pytest, jinja2, rich) may come along with it.
"""

__version__ = "0.1.0"
