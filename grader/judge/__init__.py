"""The checks API: what hidden checks import. Runs only in the trusted judge."""

from grader.judge.check import check
from grader.judge.compare import CheckFailure, expect, expect_close, expect_equal, fail
from grader.judge.policy import Policy, expect_policy

__all__ = ["CheckFailure", "Policy", "check", "expect", "expect_close", "expect_equal", "expect_policy", "fail"]
