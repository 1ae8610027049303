"""The pytest plugin of the judge: fixtures, per-check seeding, and each check's result as plain data.

The result of a check is attached through pytest-json-report's metadata hook, so the whole
outcome of a run is one JSON document that results.py turns into scores.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from grader.i18n import _
from grader.judge.check import info_of
from grader.judge.compare import CheckFailure
from grader.judge.expected import ExpectedStore
from grader.judge.handles import OracleError, Reference, Submission, derive_seed
from grader.probe import seed_all
from grader.sandbox.judge_side.client import Sandbox, StudentError

# What a check's own code raises when the submission's result has an unexpected form (a probe
# runs inside the student's process, so its result is only as good as the student's code).
_UNREADABLE = (KeyError, IndexError, TypeError, AttributeError, ValueError, RuntimeError, ZeroDivisionError, OverflowError)


def classify(exc: BaseException | None, saw_student_data: bool = False) -> dict[str, Any]:
    """Turn how a check ended into an outcome and a student-facing message."""
    if exc is None:
        return {"outcome": "passed", "message": ""}
    if isinstance(exc, StudentError):
        return {"outcome": exc.outcome, "message": exc.message, "frames": exc.frames, "exception": exc.type_name}
    if isinstance(exc, CheckFailure):
        return {"outcome": "failed", "message": exc.message, "details": exc.details}
    if isinstance(exc, AssertionError):
        return {"outcome": "failed", "message": _("{message}", message=(str(exc).split("\nassert ")[0] or "assertion failed").strip())}
    if isinstance(exc, pytest.skip.Exception):
        return {"outcome": "skipped", "message": str(exc.msg)}
    if saw_student_data and isinstance(exc, _UNREADABLE) and not isinstance(exc, OracleError):
        return {"outcome": "failed", "message": _("the result of your code could not be checked ({error}: {text}); "
                                                  "compare its types and shapes with the specification",
                                                  error=type(exc).__name__, text=str(exc))}
    return {"outcome": "error", "grader_error": True,
            "message": _("internal error in this check ({error}: {text}); please tell your instructor",
                         error=type(exc).__name__, text=str(exc))}


class GradePlugin:
    """One submission's run: the sandbox, the reference module, the device and the base seed."""

    def __init__(self, sandbox: Sandbox, reference_module: Any, device: str, seed: int, source: dict[str, str],
                 expected: ExpectedStore | None = None, progress: Callable[[int, int], None] | None = None):
        self.sandbox = sandbox
        self.progress = progress
        self._total = self._done = 0
        self.expected = ExpectedStore() if expected is None else expected
        self.reference_module = reference_module
        self.device_name = device
        self.seed = seed
        self.source = source
        self._handles: dict[str, Submission] = {}

    def _check_seed(self, item: pytest.Item) -> int:
        return derive_seed(self.seed, item.name)

    @pytest.fixture
    def submission(self, request: pytest.FixtureRequest) -> Submission:
        handle = Submission(self.sandbox, self.device_name, self._check_seed(request.node), self.source)
        self._handles[request.node.nodeid] = handle
        return handle

    @pytest.fixture
    def reference(self, request: pytest.FixtureRequest) -> Reference:
        return Reference(self.reference_module, self.device_name, self._check_seed(request.node), self.expected)

    @pytest.fixture
    def device(self) -> str:
        return self.device_name

    def _unearned(self) -> dict[str, Any]:
        """No points for a check that never saw the submission run (the stub must score 0)."""
        failure = self.sandbox.import_failure()
        if failure is not None:
            return classify(failure)
        return {"outcome": "failed", "message": _("not checked: the submission's code never ran successfully in this check")}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> Any:
        """With -k, also run the checks the selected ones require: a property is scored only with its behaviour."""
        everything = list(items)
        yield
        by_id = {item.name.removeprefix("check_"): item for item in everything}
        kept = {item.name.removeprefix("check_") for item in items}
        todo = list(kept)
        while todo:
            info = info_of(getattr(by_id.get(todo.pop()), "function", None))
            for alternative in (a for r in (info.requires if info else ()) for a in r.split("|")):
                if alternative in by_id and alternative not in kept:
                    kept.add(alternative)
                    todo.append(alternative)
        items[:] = [item for item in everything if item.name.removeprefix("check_") in kept]

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._total = len(session.items)

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        self._done += 1
        if self.progress:
            self.progress(self._done, self._total)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        seed_all(self._check_seed(item))

    def pytest_json_runtest_metadata(self, item: pytest.Item, call: pytest.CallInfo) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        if call.when == "setup":
            info = info_of(getattr(item, "function", None))
            meta["check"] = info.as_dict() if info else None
        if call.when == "call" or (call.when == "setup" and call.excinfo is not None):
            handle = self._handles.get(item.nodeid)
            result = classify(call.excinfo.value if call.excinfo else None, bool(handle and handle.successes))
            info = info_of(getattr(item, "function", None))
            gated = bool(info and info.requires)  # earned through the checks it requires (results.apply_requirements)
            if result["outcome"] == "passed" and not gated and (handle is None or handle.successes == 0):
                result = self._unearned()
            result["output"] = handle.output if handle else {"stdout": "", "stderr": ""}
            result["duration_s"] = call.duration
            meta["result"] = result
        return meta
