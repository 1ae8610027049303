"""The two kinds of failure the CLI tells apart: the user's (exit 2) and the grader's own (exit 3)."""


class UsageError(Exception):
    """Something the user can fix: a wrong path, an unknown exercise, an unavailable device."""


class GraderError(Exception):
    """The grader itself failed (broken checks, a sandbox that would not start)."""
