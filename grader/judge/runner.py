"""Run one exercise's hidden checks for one submission, in this (trusted) process, with pytest."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_jsonreport.plugin import JSONReport

from grader.catalog import Exercise
from grader.errors import GraderError
from grader.judge.plugin import GradePlugin


@contextlib.contextmanager
def _quiet_isolated_pytest() -> Iterator[io.StringIO]:
    """No third-party plugins, no terminal output: the judge's pytest is an engine here, not a UI."""
    saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            yield buffer
    finally:
        if saved is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved


# pytest's built-ins the judge does not need; unraisableexception alone costs ~0.5 s of gc per run.
_UNUSED_PLUGINS = ("cacheprovider", "unraisableexception", "threadexception", "faulthandler", "doctest",
                   "pastebin", "junitxml", "stepwise", "nose", "logging")


def run_checks(exercise: Exercise, plugin: GradePlugin, select: str | None = None) -> dict[str, Any]:
    """The pytest-json-report document of one run; GraderError when the checks could not run."""
    report = JSONReport()
    args = [
        str(exercise.checks_file), "-c", os.devnull, "--rootdir", str(exercise.suite_dir),
        "--confcutdir", str(exercise.suite_dir),
        "-p", "pytest_jsonreport.plugin", "--json-report-file=none",
        *[arg for name in _UNUSED_PLUGINS for arg in ("-p", f"no:{name}")],
        "-o", "python_functions=check_*", "-o", "python_files=checks.py", "-q", "--tb=short",
        "-W", "ignore::DeprecationWarning",
    ]
    if select:
        args += ["-k", select]
    with _quiet_isolated_pytest() as log:
        code = pytest.main(args, plugins=[plugin, report])
    if code == pytest.ExitCode.INTERRUPTED:
        raise KeyboardInterrupt  # Ctrl-C inside a check: pytest caught it, the caller decides what it means
    if code == pytest.ExitCode.NO_TESTS_COLLECTED and select:
        return {"tests": []}  # this exercise has no check matching -k; others may
    if report.report is None or code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise GraderError(f"the checks of {exercise.id} could not run (pytest exit {int(code)}):\n{log.getvalue()[-3000:]}")
    return report.report
