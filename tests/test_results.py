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
                     "passed": "1", "failed": "1", "errors": "0", "problem": ""}]
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


def test_hidden_checks_keep_nothing_but_name_outcome_and_points_even_when_passed():
    """A passing submission that prints its arguments must not publish the hidden inputs."""
    checks = results.from_json_report({"tests": [
        entry("c", "passed", 1, False, message="note", output={"stdout": "ARGS tensor([0.1, 0.2])"},
              details={"x": 1}, frames=[{"file": "f.py", "line": 1, "function": "f", "code": "print(x)"}])]})
    [c] = results.redact_hidden(results.ExerciseResult("05_x", "t", "s", checks)).checks
    assert (c.output, c.details, c.frames, c.message) == ({}, {}, [], "")
    assert (c.name, c.outcome, c.score, c.max_score) == ("C", "passed", 1, 1)


def test_json_safe_turns_any_value_into_plain_json():
    import json
    import math

    class Weird:
        def __str__(self):
            raise RuntimeError("no")

    value = {"c": 1 + 2j, "n": math.nan, "i": [math.inf, -math.inf], "b": b"\x00\x01", "t": (1, "a"),
             "s": "bad \udcff surrogate", 3: {"o": object()}, "w": Weird()}
    safe = results.json_safe(value)
    text = json.dumps(safe, allow_nan=False, ensure_ascii=False)
    text.encode("utf-8")
    assert safe["c"] == "(1+2j)" and safe["n"] == "nan" and safe["i"] == ["inf", "-inf"]
    assert safe["b"] == "<2 bytes>" and safe["t"] == [1, "a"] and "3" in safe and safe["w"] == "<Weird>"


def odd_result(label: str = "alice/05_x") -> results.ExerciseResult:
    checks = results.from_json_report({"tests": [entry("a", "failed", 2, True, message="bad",
                                                       details={"z": 1j, "nan": float("nan"), "raw": b"xx"})]})
    return results.ExerciseResult("05_linear_loop", "t", label, checks, {"when": float("inf")})


def test_every_writer_takes_odd_data_and_one_failing_writer_loses_no_other(tmp_path, monkeypatch):
    import json

    from grader.report import export, files

    outputs = {kind: tmp_path / f"r.{kind}" for kind in ("html", "json", "csv", "gradescope")}
    written, failed = files.write_reports([odd_result(), odd_result("bob/05_x")], {"seed": 0}, outputs)
    assert failed == [] and len(written) == 4
    doc = json.loads(outputs["json"].read_text())
    assert doc["exercises"][0]["checks"][0]["details"] == {"z": "1j", "nan": "nan", "raw": "<2 bytes>"}
    assert "bob/05_x" in outputs["csv"].read_text() and "bob/05_x" in outputs["html"].read_text()

    def broken(results):
        raise ValueError("boom")

    monkeypatch.setattr(export, "gradebook_csv", broken)
    for path in outputs.values():
        path.unlink()
    written, failed = files.write_reports([odd_result()], {}, outputs)
    assert len(failed) == 1 and "csv" in failed[0] and "boom" in failed[0]
    assert sorted(written) == sorted(str(outputs[k]) for k in ("html", "json", "gradescope"))


def test_a_result_that_cannot_be_made_safe_becomes_an_error_row():
    bad = odd_result()
    bad.checks[0].max_score = "lots"  # type: ignore[assignment]
    safe = results.safe_result(bad)
    assert safe.checks[0].outcome == "error" and "could not be reported" in str(safe.checks[0].message)
    bad.checks = None  # type: ignore[assignment]
    assert results.safe_result(bad).problem.startswith("the results of this submission could not be reported")


def test_a_problem_counts_the_exercise_full_score():
    from grader import catalog
    from grader.api import max_points, problem_result
    from grader.discovery import Handin

    ex = catalog.by_number("05")
    r = problem_result(Handin(ex, "dave/05_linear_loop", problem="has no train_linear.py"), "has no train_linear.py")
    assert r.score == 0 and r.max_score == max_points(ex) > 0 and str(r.problem) == "has no train_linear.py"
    assert not r.all_passed and not r.grader_error


CRAFTED = "eve\r29/29 points (all checks passed)\x1b[2K\u202ednab\nnext"


def test_submission_text_is_sanitised_in_terminal_csv_and_gradescope():
    import csv
    import io

    from rich.console import Console

    from grader.report import export, terminal

    checks = results.from_json_report({"tests": [entry("a", "failed", 2, True, message="m\x1b[31m\rX",
                                                       frames=[{"file": "a\x1b]8;;x\x07.py", "line": 3}],
                                                       output={"stdout": "out\x1b[2J\rfake"})]})
    res = results.ExerciseResult("05_linear_loop", "t", CRAFTED, checks)
    console = Console(file=io.StringIO(), width=300, force_terminal=False, no_color=True)
    terminal.print_line(console, res)
    terminal.print_exercise(console, res, verbose=True)
    shown = console.file.getvalue()
    cells = [cell for row in csv.reader(io.StringIO(export.gradebook_csv([res]))) for cell in row]
    gs = export.gradescope([res])
    gs_text = " ".join(str(t[k]) for t in gs["tests"] for k in ("name", "output")) + gs["output"]
    for text in (shown, " ".join(cells), gs_text):
        assert not any(ch in text for ch in "\x1b\r\x07\u202e"), repr(text)
    assert not any(line.startswith("29/29") for line in shown.splitlines())
    assert all("\n" not in cell for cell in cells)


def test_html_escapes_and_sanitises_submission_text():
    from grader.report import html

    checks = results.from_json_report({"tests": [entry("a", "failed", 2, True, message="<script>x</script>\x1b[2J")]})
    page = html.render([results.ExerciseResult("05_linear_loop", "t", CRAFTED + "<b>", checks)], {})
    assert "<script>x" not in page and "&lt;script&gt;" in page and "&lt;b&gt;" in page
    assert "\x1b" not in page and "\u202e" not in page and "\r" not in page


def test_the_sanitiser():
    from grader.report.text import printable

    assert printable("a\x1b[2Jb\rc\u202ed\u2066e\x9bf") == "a\ufffd[2Jb\ufffdc\ufffdd\ufffde\ufffdf"
    assert printable("l1\nl2\tx") == "l1\nl2\tx" and printable("l1\nl2\tx", one_line=True) == "l1\ufffdl2\ufffdx"
    assert printable("日本語 ok") == "日本語 ok"


def test_an_import_failure_is_reported_once_and_keeps_the_points_in_the_maximum():
    def check(cid: str, outcome: str, points: int, **kw) -> results.CheckResult:
        return results.CheckResult(cid, cid.upper(), "1.1", outcome, 0, points, "visible", kw.pop("message", "boom"), **kw)

    checks = [check("a", "error", 2, frames=[{"file": "mine.py", "line": 2, "function": "<module>", "code": ""}]),
              check("b", "error", 3), check("c", "failed", 1, message="uses torch.optim"),
              check("d", "error", 1, grader_error=True), check("e", "timeout", 4)]
    out = results.import_failed_once(checks, "mine.py")
    assert [c.outcome for c in out] == ["error", "not_run", "failed", "error", "not_run"]
    assert out[0] == checks[0] and out[2] == checks[2] and out[3] == checks[3]
    assert str(out[1].message) == "not run: mine.py could not be imported (see above)" and not out[1].frames
    assert sum(c.max_score for c in out) == 11 and sum(c.score for c in out) == 0
