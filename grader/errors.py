"""What the CLI tells apart: the user's mistakes (exit 2), the grader's own failures (exit 3), a stopped run (130)."""


class UsageError(Exception):
    """Something the user can fix: a wrong path, an unknown exercise, an unavailable device."""


class GraderError(Exception):
    """The grader itself failed (broken checks, a sandbox that would not start)."""


class Interrupted(Exception):
    """The run was stopped (Ctrl-C, SIGTERM, SIGHUP): `results` holds every submission, unfinished ones marked."""

    def __init__(self, results: list) -> None:
        super().__init__("interrupted")
        self.results = results
