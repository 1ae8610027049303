"""The checks API: what hidden checks import. Runs only in the trusted judge."""

from grader.judge.check import check
from grader.judge.compare import CheckFailure, expect, expect_close, expect_equal, fail

__all__ = ["check", "expect", "expect_close", "expect_equal", "fail", "CheckFailure"]
