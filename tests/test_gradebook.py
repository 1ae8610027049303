"""The class gradebook and --out DIR: student mapping, grid, totals, missing cells, the files written."""

from __future__ import annotations

import csv
import io
import json

from grader import gradebook
from grader.report import classout
from grader.results import CheckResult, ExerciseResult, problem_result


def check(cid: str, outcome: str, points: int = 2, message: str = "") -> CheckResult:
    return CheckResult(id=cid, name=cid.replace("_", " "), task="t", outcome=outcome,
                       score=points if outcome == "passed" else 0, max_score=points, visibility="hidden",
                       message=message)


def result(label: str, ex: str, outcomes: dict[str, str], message: str = "") -> ExerciseResult:
    return ExerciseResult(ex, ex, label, [check(c, o, message=message) for c, o in outcomes.items()])


def test_student_of_maps_class_folders_archives_and_single_paths():
    assert gradebook.student_of("class/alice/03_residual_mlp", ["class"]) == "alice"
    assert gradebook.student_of("class/alice/hw/03_residual_mlp", ["class/"]) == "alice"
    assert gradebook.student_of("subs/bob.zip/03_residual_mlp", ["subs/bob.zip", "subs/carol.tar.gz"]) == "bob"
    assert gradebook.student_of("subs/carol.tar.gz", ["subs/bob.zip", "subs/carol.tar.gz"]) == "carol"
    assert gradebook.student_of("exercises/05", ["exercises/05"]) == "05"
    # the longest root wins: a class folder inside another typed path
    assert gradebook.student_of("a/b/dan/01_last_token", ["a", "a/b"]) == "dan"


def test_grid_has_a_row_per_student_an_empty_cell_when_missing_and_totals():
    results = [
        result("c/alice/01_last_token", "01_last_token", {"x": "passed", "y": "passed"}),
        result("c/alice/03_residual_mlp", "03_residual_mlp", {"z": "failed"}),
        result("c/bob/01_last_token", "01_last_token", {"x": "passed", "y": "failed"}),
    ]
    book = gradebook.build(results, ["c"])
    assert book.exercises == ["01_last_token", "03_residual_mlp"]
    assert [r.student for r in book.rows] == ["alice", "bob"]
    assert book.rows[0].scores == {"01_last_token": 4, "03_residual_mlp": 0}
    assert book.rows[1].scores == {"01_last_token": 2, "03_residual_mlp": None}
    assert book.rows[1].missing == ["03_residual_mlp"]
    assert [r.total for r in book.rows] == [4, 2]
    assert book.max_total == 6
    rows = list(csv.reader(io.StringIO(classout.gradebook_csv(book))))
    assert rows == [["student", "01_last_token", "03_residual_mlp", "total"],
                    ["alice", "4", "0", "4"], ["bob", "2", "", "2"]]
    checks = list(csv.reader(io.StringIO(classout.checks_csv(book, results))))
    assert checks[0] == ["student", "01_last_token/x", "01_last_token/y", "03_residual_mlp/z"]
    assert checks[2] == ["bob", "2", "0", ""]


def test_a_formula_in_a_student_name_is_not_a_formula_in_the_csv():
    book = gradebook.build([result("c/=cmd()/01_last_token", "01_last_token", {"x": "passed"})], ["c"])
    assert "'=cmd()" in classout.gradebook_csv(book)


def test_common_mistakes_group_by_hint_and_count_students():
    msg = "expected shape [2, 3], got [3, 2] (did you forget to transpose?)"
    results = [result(f"c/s{i}/05_linear_loop", "05_linear_loop", {"a": "failed"}, message=msg) for i in range(3)]
    results.append(result("c/t/05_linear_loop", "05_linear_loop", {"a": "failed"}, message="max error 0.5 at [1]"))
    results.append(result("c/u/05_linear_loop", "05_linear_loop", {"a": "failed"}, message="max error 0.25 at [3]"))
    top = gradebook.common_mistakes(results, "05_linear_loop")
    assert top[0] == ("did you forget to transpose?", 3)
    assert top[1] == ("a: max error N at [N]", 2)  # numbers differ per student, the mistake does not


def test_histogram_and_pass_rates():
    assert gradebook.histogram([0, 5, 10, 10], 10, bins=5) == [1, 0, 1, 0, 2]
    results = [result(f"c/s{i}/02_swish", "02_swish", {"a": "passed" if i else "failed"}) for i in range(4)]
    assert gradebook.pass_rates(results, "02_swish") == [("a", "a", 3, 4)]


def test_write_class_writes_every_file_and_a_self_contained_dashboard(tmp_path):
    results = [
        result("c/alice/01_last_token", "01_last_token", {"x": "passed"}),
        result("c/<b>ob/01_last_token", "01_last_token", {"x": "timeout"}, message="timed out after 10 s"),
        result("c/carol/02_swish", "02_swish", {"x": "passed"}),
        problem_result("02_swish", "Swish", "c/dave/02_swish", "is a symbolic link", 2),
    ]
    out = tmp_path / "out"
    classout.write_class(out, results, ["c"], {"device": "cpu", "seed": 0})
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == ["checks.csv", "gradebook.csv", "gradescope/_b_ob/results.json", "gradescope/alice/results.json",
                     "gradescope/carol/results.json", "gradescope/dave/results.json", "index.html",
                     "students/_b_ob.html", "students/_b_ob.json", "students/alice.html", "students/alice.json",
                     "students/carol.html", "students/carol.json", "students/dave.html", "students/dave.json"]
    alice = json.loads((out / "gradescope/alice/results.json").read_text())
    assert alice["score"] == 2 and len(alice["tests"]) == 1  # one student's tests, not the class's
    page = (out / "index.html").read_text()
    assert "<b>ob" not in page and "&lt;b&gt;ob" in page  # names are escaped
    assert "http://" not in page and "https://" not in page and "src=" not in page  # nothing fetched
    assert page.count("<svg") == 2 and 'class="missing"' in page
    assert 'href="students/alice.html"' in page
    assert "timed out" in page and "is a symbolic link" in page  # troubles in one place


def test_cli_out_writes_the_class_folder_with_hidden_checks_redacted(tmp_path):
    import shutil
    import subprocess
    import sys

    from grader import catalog

    repo = catalog.REPO_ROOT
    cls = tmp_path / "class"
    shutil.copytree(repo / "solutions/01_last_token", cls / "alice/01_last_token")
    (cls / "bob/01_last_token").mkdir(parents=True)
    (cls / "bob/01_last_token/last_token.py").write_text("def last_token(:\n")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "grader", str(cls), "--out", str(out), "--hide-hidden",
                           "--html", str(tmp_path / "r.html")], cwd=repo, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    rows = list(csv.reader(io.StringIO((out / "gradebook.csv").read_text())))
    assert rows[0] == ["student", "01_last_token", "total"]
    assert rows[1][0] == "alice" and rows[1][1] == rows[1][2] and int(rows[1][1]) > 0
    assert rows[2] == ["bob", "0", "0"]
    bob = json.loads((out / "students/bob.json").read_text())
    hidden = [c for r in bob["exercises"] for c in r["checks"] if c["visibility"] == "hidden"]
    assert hidden and all("SyntaxError" not in c["message"] for c in hidden)
    assert len(list((out / ".cache").rglob("*.json"))) == 2  # each finished result kept for the next run
