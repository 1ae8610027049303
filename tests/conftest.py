"""Shared fixtures: one warm Grader for the whole test session (torch imported once)."""

from __future__ import annotations

import pytest

from grader.api import Grader
from grader.sandbox.limits import Limits


@pytest.fixture(scope="session")
def grader():
    with Grader(device="cpu", seed=0, limits=Limits(call_timeout_s=10, budget_s=120)) as g:
        yield g


@pytest.fixture(scope="session")
def fast_grader():
    """Short time limits, for submissions that are meant to hang."""
    with Grader(device="cpu", seed=0, limits=Limits(call_timeout_s=2, budget_s=6, memory_mb=512)) as g:
        yield g
