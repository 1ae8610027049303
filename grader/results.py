"""Results as plain data: pure functions from a pytest-json-report document to scores.

Nothing here runs checks or touches the sandbox, so it is easy to test and to reuse for
JSON, terminal and HTML output alike.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from grader.i18n import Msg, Text, _, render

OUTCOMES = ("passed", "failed", "error", "timeout", "crashed", "skipped", "not_run")
NOT_RUN = "not_run"  # not run because of a failure reported once in another row: 0 of its points, which still count
PROBLEM_CHECK_ID = "submission"  # the one check of a submission that was not graded
INTERRUPTED_MESSAGE = _("not graded: the run was interrupted before this submission finished")
POOL_DIED_MESSAGE = _("not graded: the grading process died (out of memory or killed); grade this submission again")
NOT_GRADED = (INTERRUPTED_MESSAGE, POOL_DIED_MESSAGE)  # results no cache may keep: grade them again


@dataclass
class CheckResult:
    id: str
    name: str
    task: str
    outcome: str
    score: int
    max_score: int
    visibility: str
    message: Text  # a Msg rendered per language by localize(); a str is shown as it is
    duration_s: float = 0.0
    frames: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    output: dict[str, str] = field(default_factory=dict)
    grader_error: bool = False
    requires: list[str] = field(default_factory=list)  # checks this one counts only after (see apply_requirements)


@dataclass
class ExerciseResult:
    id: str
    title: str
    label: str                       # what was graded, as reports name it (discovery's Handin.label)
    checks: list[CheckResult]
    facts: dict[str, Any] = field(default_factory=dict)  # device, torch version, seed, durations, sandbox

    @property
    def score(self) -> int:
        return sum(c.score for c in self.checks)

    @property
    def max_score(self) -> int:
        return sum(c.max_score for c in self.checks)

    @property
    def all_passed(self) -> bool:
        return all(c.outcome in ("passed", "skipped") for c in self.checks)

    @property
    def grader_error(self) -> bool:
        return any(c.grader_error for c in self.checks)

    @property
    def problem(self) -> Text:
        """Why this submission was not graded (see problem_result), or ''."""
        if len(self.checks) == 1 and self.checks[0].id == PROBLEM_CHECK_ID:
            return self.checks[0].message
        return ""


def check_id(nodeid: str) -> str:
    return nodeid.rsplit("::", 1)[-1].removeprefix("check_")


def from_test_entry(test: dict[str, Any]) -> CheckResult:
    """One pytest-json-report test entry (with the judge's metadata) as a CheckResult."""
    meta = test.get("metadata") or {}
    info = meta.get("check")
    result = meta.get("result") or {"outcome": "error", "grader_error": True,
                                     "message": _("the check produced no result; please tell your instructor")}
    cid = check_id(test["nodeid"])
    if info is None:
        info = {"task": "", "points": 0, "visible": False, "name": cid}
        result = {"outcome": "error", "grader_error": True,
                  "message": _("check_{id} has no @check decorator", id=cid)}
    outcome = result["outcome"]
    max_score = 0 if outcome == "skipped" else int(info["points"])
    return CheckResult(
        id=cid, name=info["name"], task=info["task"], outcome=outcome,
        score=max_score if outcome == "passed" else 0, max_score=max_score,
        visibility="visible" if info["visible"] else "hidden", message=result.get("message", ""),
        duration_s=float(result.get("duration_s", 0.0)), frames=result.get("frames", []),
        details=result.get("details", {}), output=result.get("output", {}),
        grader_error=bool(result.get("grader_error")),
        requires=[str(r) for r in info.get("requires", [])],
    )


def from_json_report(report: dict[str, Any]) -> list[CheckResult]:
    return apply_requirements([from_test_entry(t) for t in report.get("tests", [])])


def apply_requirements(checks: list[CheckResult]) -> list[CheckResult]:
    """A check that qualifies a behaviour scores only when every check it requires passed.

    "Inputs not modified" or "deterministic" says nothing about a function that does not do its
    task: without this, a submission returning zeros would collect those points.
    """
    by_id = {c.id: c for c in checks}
    out = []
    for c in checks:
        missing: list[str] = []
        failed: list[list[CheckResult]] = []
        for requirement in c.requires:
            # "a|b": any one of the alternatives passing is enough (a behaviour shown in either of two ways)
            ran = [by_id[a] for a in requirement.split("|") if a in by_id]
            if not ran:
                missing.append(requirement)
            elif not any(r.outcome == "passed" for r in ran):
                failed.append(ran)
        if c.outcome == "passed" and (failed or missing):
            names = tuple([_("one of {names}", names=tuple(_("“{name}”", name=Msg(r.name)) for r in group))
                           if len(group) > 1 else _("“{name}”", name=Msg(group[0].name)) for group in failed]
                          + [_("{id} (not run)", id=m) for m in missing])
            c = replace(c, outcome="failed", score=0,
                        message=_("not scored: this check counts only once {names} passes", names=names),
                        details={"requires": ["|".join(r.id for r in group) for group in failed] + missing})
        out.append(c)
    return out


def import_failed_once(checks: list[CheckResult], file: str) -> list[CheckResult]:
    """A file that did not import, reported once: the first check it failed keeps the failure, the others are not run.

    The others keep their points in the maximum, so the total stays honest; grader errors and
    checks that failed on their own (e.g. a rule read from the source) keep their own result.
    """
    first: CheckResult | None = None
    out = []
    for c in checks:
        if c.outcome in ("error", "timeout", "crashed") and not c.grader_error:
            if first is None:
                first = c
            else:
                why = (_("not run: {file} did not finish importing (see above)", file=file) if first.outcome == "timeout"
                       else _("not run: {file} could not be imported (see above)", file=file))
                c = replace(c, outcome=NOT_RUN, score=0, frames=[], details={}, message=why)
        out.append(c)
    return out


def failed_all(result: ExerciseResult, outcome: str, message: Text, frames: list | None = None) -> None:
    """Mark every check with one failure (e.g. an import error), keeping names and points."""
    for c in result.checks:
        c.outcome, c.score, c.message, c.frames = outcome, 0, message, frames or []


HIDDEN_MESSAGE = _("hidden check: its details are shown when grades are published")


def redact_hidden(result: ExerciseResult) -> ExerciseResult:
    """A copy in which hidden checks keep their name, outcome and points but say nothing more.

    Passed ones too: what a passing submission printed can be the hidden inputs themselves.
    """
    checks = [c if c.visibility == "visible" else
              replace(c, message=HIDDEN_MESSAGE if c.outcome != "passed" else "", frames=[], details={}, output={})
              for c in result.checks]
    return replace(result, checks=checks)


def problem_result(exercise_id: str, title: str, submission: str, message: Text, max_score: int,
                   task: str = "") -> ExerciseResult:
    """A submission that could not be graded (unreadable, misplaced, not graded at all): one error, 0 points.

    `max_score` is the exercise's full score, so the submission counts in every total.
    """
    check = CheckResult(id=PROBLEM_CHECK_ID, name=PROBLEM_CHECK_NAME, task=task, outcome="error", score=0,
                        max_score=max_score, visibility="visible", message=message)
    return ExerciseResult(exercise_id, title, submission, [check], {})


PROBLEM_CHECK_NAME = _("The submission can be graded").id


def localize(result: ExerciseResult, lang: str) -> ExerciseResult:
    """A copy whose check names and messages are text in `lang` (what every report shows)."""
    checks = [replace(c, name=render(Msg(c.name), lang) if isinstance(c.name, str) else render(c.name, lang),
                      message=render(c.message, lang)) for c in result.checks]
    return replace(result, checks=checks)


_MAX_TEXT = 1 << 20


def json_safe(value: Any, depth: int = 0) -> Any:
    """Any value as plain JSON data: NaN/inf and complex as strings, bytes described, the rest str()."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)  # 'nan', 'inf', '-inf'
    if isinstance(value, str):
        value = value[:_MAX_TEXT]
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates cannot be written as UTF-8
            value = value.encode("utf-8", "replace").decode("utf-8")
        return value
    if isinstance(value, complex):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(value))} bytes>"
    if depth > 20:
        return "<nested too deep>"
    if isinstance(value, dict):
        return {str(json_safe(k, depth + 1)): json_safe(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v, depth + 1) for v in value]
    try:
        return json_safe(str(value), depth + 1)
    except Exception:  # a __str__ that raises
        return f"<{type(value).__name__}>"


def safe_result(result: ExerciseResult, lang: str = "en") -> ExerciseResult:
    """A copy every writer can take: texts in `lang`, all fields JSON-safe; one that cannot be made so becomes an error result."""
    try:
        result = localize(result, lang)
        checks = [CheckResult(**{f.name: json_safe(getattr(c, f.name)) for f in fields(CheckResult)}) for c in result.checks]
        for c in checks:
            c.frames = [f if isinstance(f, dict) else {"file": str(f), "line": 0, "function": "", "code": ""}
                        for f in (c.frames if isinstance(c.frames, list) else [])]
            c.details = c.details if isinstance(c.details, dict) else {"value": c.details}
            c.output = c.output if isinstance(c.output, dict) else {}
            c.score, c.max_score = int(c.score), int(c.max_score)
        return ExerciseResult(json_safe(result.id), json_safe(result.title), json_safe(result.label), checks,
                              json_safe(result.facts) if isinstance(result.facts, dict) else {})
    except Exception as exc:
        try:
            max_score = sum(int(c.max_score) for c in result.checks)
        except Exception:
            max_score = 0
        return problem_result(json_safe(str(result.id)), json_safe(str(result.title)), json_safe(str(result.label)),
                              render(_("the results of this submission could not be reported ({error})",
                                       error=type(exc).__name__), lang), max_score)


def exercise_as_dict(result: ExerciseResult, lang: str = "en") -> dict[str, Any]:
    result = safe_result(result, lang)
    return {"id": result.id, "title": result.title, "submission": result.label, "score": result.score,
            "max_score": result.max_score, "facts": result.facts,
            "checks": [asdict(c) for c in result.checks]}


def run_as_dict(results: list[ExerciseResult], facts: dict[str, Any] | None = None, lang: str = "en") -> dict[str, Any]:
    """The documented JSON schema (see README, "JSON output"); texts in `lang`."""
    return {
        "schema": "grader/1", "lang": lang,
        "total": {"score": sum(r.score for r in results), "max_score": sum(r.max_score for r in results)},
        "facts": json_safe(facts or {}),
        "exercises": [exercise_as_dict(r, lang) for r in results],
    }
