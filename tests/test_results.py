"""Scores come from the pytest-json-report document by pure functions."""

from __future__ import annotations

from grader import results


def entry(name: str, outcome: str | None, points: int = 2, visible: bool = True, **extra) -> dict:
    meta = {"check": {"task": "05.1", "points": points, "visible": visible, "name": name.title()}}
    if outcome is not None:
        meta["result"] = {"outcome": outcome, "message": extra.pop("message", ""), **extra}
    return {"nodeid": f"grader/suites/x/checks.py::check_{name}", "outcome": "passed", "metadata": meta}


def test_points_only_for_passed_checks():
    checks = results.from_json_report({"tests": [entry("a", "passed", 3), entry("b", "failed", 2, False),
                                                 entry("c", "timeout", 1), entry("d", "skipped", 4)]})
    assert [c.id for c in checks] == ["a", "b", "c", "d"]
    assert [(c.score, c.max_score) for c in checks] == [(3, 3), (0, 2), (0, 1), (0, 0)]
    assert checks[1].visibility == "hidden" and checks[0].visibility == "visible"
    res = results.ExerciseResult("05_x", "t", "sub", checks)
    assert (res.score, res.max_score, res.all_passed) == (3, 6, False)


def test_missing_metadata_is_a_grader_error_not_a_pass():
    bare = {"nodeid": "x.py::check_z", "outcome": "passed"}
    [c] = results.from_json_report({"tests": [bare]})
    assert c.outcome == "error" and c.grader_error and c.score == 0
    [c] = results.from_json_report({"tests": [entry("y", None)]})
    assert c.outcome == "error" and c.grader_error


def test_json_document_follows_the_schema():
    res = results.ExerciseResult("05_x", "t", "sub", results.from_json_report({"tests": [entry("a", "passed")]}),
                                 {"device": "cpu"})
    doc = results.run_as_dict([res, res], {"seed": 0})
    assert doc["total"] == {"score": 4, "max_score": 4}
    check = doc["exercises"][0]["checks"][0]
    for key in ("id", "name", "outcome", "score", "max_score", "visibility", "message"):
        assert key in check
    assert doc["exercises"][0]["id"] == "05_x" and doc["exercises"][0]["score"] == 2


def test_gradebook_csv_and_gradescope_export():
    import csv
    import io

    from grader.report import export

    checks = results.from_json_report({"tests": [entry("a", "passed", 3), entry("b", "failed", 2, False, message="bad")]})
    res = results.ExerciseResult("05_x", "t", "alice/05_x", checks)
    rows = list(csv.DictReader(io.StringIO(export.gradebook_csv([res]))))
    assert rows == [{"submission": "alice/05_x", "exercise": "05_x", "score": "3", "max_score": "5",
                     "passed": "1", "failed": "1", "errors": "0"}]
    gs = export.gradescope([res])
    assert gs["score"] == 3 and [t["score"] for t in gs["tests"]] == [3, 0]
    assert [t["visibility"] for t in gs["tests"]] == ["visible", "after_published"]
    assert gs["tests"][1]["output"] == "bad" and gs["tests"][1]["status"] == "failed"


def test_hidden_checks_can_be_redacted_for_releases():
    checks = results.from_json_report({"tests": [
        entry("a", "failed", 1, True, message="visible detail"),
        entry("b", "failed", 1, False, message="secret detail", details={"where": [1]}, output={"stdout": "x"}),
        entry("c", "passed", 1, False)]})
    red = results.redact_hidden(results.ExerciseResult("05_x", "t", "s", checks))
    assert [c.message for c in red.checks] == ["visible detail", results.HIDDEN_MESSAGE, ""]
    assert red.checks[1].details == {} and red.checks[1].output == {} and red.checks[1].outcome == "failed"
    assert checks[1].message == "secret detail"  # the original is untouched
