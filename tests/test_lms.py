"""LMS downloads (Moodle, Canvas, Google Classroom) to students and exercises; notebooks; the roster."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from types import SimpleNamespace

import nbformat
import pytest

from grader import catalog, discovery, gradebook, lms, notebooks, roster
from grader.errors import UsageError
from grader.report import classout
from grader.results import CheckResult, ExerciseResult
from grader.sandbox.judge_side import stacks
from grader.sandbox.judge_side.client import Sandbox

REPO = catalog.REPO_ROOT
SWISH = (REPO / "solutions" / "02_swish" / "swish.py").read_text()
LAST_TOKEN = (REPO / "solutions" / "01_last_token" / "last_token.py").read_text()


def notebook(*cells: str, markdown_first: bool = True) -> bytes:
    nb = nbformat.v4.new_notebook()
    nb.cells = ([nbformat.v4.new_markdown_cell("# Exercise")] if markdown_first else []) + \
        [nbformat.v4.new_code_cell(c) for c in cells]
    return nbformat.writes(nb).encode()


def make_zip(path, members: dict[str, bytes | str]):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return str(path)


# -- names -> students ---------------------------------------------------------------------------------

def test_each_layout_is_told_by_its_names_and_nothing_else_is():
    moodle = [("山田 太郎_48211_assignsubmission_file_", True), ("Ann Lee_48212_assignsubmission_onlinetext_", True),
              ("__MACOSX", True), (".DS_Store", False)]
    canvas = [("smithjohn_1234_98765_swish.py", False), ("leeann_LATE_1235_98766_swish-1.py", False),
              ("leeann_1235_text.html", False)]
    classroom = [("山田 太郎 - swish.ipynb", False), ("Ann Lee - Copy of last_token.ipynb", False)]
    assert lms.detect(moodle) == "moodle" and lms.detect(canvas) == "canvas" and lms.detect(classroom) == "classroom"
    # a class folder, an exercise folder, a student's own files, a mix: none is an LMS download
    for names in ([("alice", True), ("bob", True)], [("02_swish", True)], [("swish.py", False)],
                  [*canvas, ("notes.txt", False)], [("__MACOSX", True)], []):
        assert lms.detect(names) is None, names


def test_entries_carry_the_student_the_id_and_the_original_name():
    [late] = lms.entries("canvas", [("leeann_LATE_1235_98766_swish-1.py", False)])
    assert (late.student, late.lms_id, late.original, late.late, late.again) == ("leeann", "1235", "swish.py", True, 1)
    [flat] = lms.entries("moodle", [("Ann Lee_48212_assignsubmission_file_02_swish.py", False)])
    assert (flat.student, flat.lms_id, flat.original) == ("Ann Lee", "48212", "02_swish.py")
    [copy] = lms.entries("classroom", [("山田　太郎 - Copy of swish.ipynb", False)])
    assert (copy.student, copy.lms_id, copy.original) == ("山田 太郎", "", "swish.ipynb")  # NFC, one plain space
    # two students of one name stay apart; a hostile name is bounded and printable
    twins = lms.entries("moodle", [("John Smith_1_assignsubmission_file_", True), ("John Smith_2_assignsubmission_file_", True)])
    assert [e.student for e in twins] == ["John Smith (1)", "John Smith (2)"]
    hostile = lms.clean_name("\x1b[31mEvil\u202e\n" + "x" * 500)
    assert len(hostile) <= lms.MAX_NAME and "\x1b" not in hostile and "\u202e" not in hostile and "\n" not in hostile


# -- archives -> handins ---------------------------------------------------------------------------------

def by_student(handins):
    return {(h.student, h.exercise.id if h.exercise else None): h for h in handins}


def test_a_moodle_download_with_folders_onlinetext_and_a_japanese_name(tmp_path):
    path = make_zip(tmp_path / "moodle.zip", {
        "山田 太郎_48211_assignsubmission_file_/swish.py": SWISH,
        "山田 太郎_48211_assignsubmission_file_/helpers.py": "X = 1\n",
        "山田 太郎_48211_assignsubmission_onlinetext_/onlinetext.html": "<p>done</p>",
        "Ann Lee_48212_assignsubmission_file_/01_last_token.py": LAST_TOKEN,
        "Ann Lee_48212_assignsubmission_file_/02-swish.ipynb": notebook(SWISH),
        "Bo Chen_48213_assignsubmission_onlinetext_/onlinetext.html": "<p>I forgot</p>",
    })
    found = by_student(discovery.find(path))
    assert set(found) == {("山田 太郎", "02_swish"), ("Ann Lee", "01_last_token"), ("Ann Lee", "02_swish"), ("Bo Chen", None)}
    yamada = found["山田 太郎", "02_swish"]
    assert not yamada.problem and yamada.lms_id == "48211" and yamada.label == f"{path}/山田 太郎/swish.py"
    assert set(yamada.files) == {"swish.py", "helpers.py"}  # the onlinetext is no code
    ann = found["Ann Lee", "01_last_token"]
    assert ann.files["last_token.py"] == LAST_TOKEN.encode() and ann.shown_as == {"last_token.py": "01_last_token.py"}
    from_notebook = found["Ann Lee", "02_swish"]
    assert from_notebook.shown_as == {"swish.py": "02-swish.ipynb"} and "swish.py" in from_notebook.cells
    assert "has no file named for an exercise" in str(found["Bo Chen", None].problem)


def test_a_canvas_download_late_and_uploaded_again(tmp_path):
    path = make_zip(tmp_path / "submissions.zip", {
        "smithjohn_1234_98765_swish.py": "raise SystemExit  # the first upload\n",
        "smithjohn_1234_98767_swish-1.py": SWISH,  # uploaded again: the newer one counts
        "leeann_LATE_1235_98766_last_token.py": LAST_TOKEN,
        "leeann_1235_text.html": "<p>see attached</p>",
    })
    found = by_student(discovery.find(path))
    assert set(found) == {("smithjohn", "02_swish"), ("leeann", "01_last_token")}
    john = found["smithjohn", "02_swish"]
    assert john.files == {"swish.py": SWISH.encode()} and not john.late and john.lms_id == "1234"
    assert found["leeann", "01_last_token"].late


def test_a_classroom_drive_download_wrapped_in_its_folder(tmp_path):
    path = make_zip(tmp_path / "Swish-20261101T000000Z-001.zip", {
        "Swish/山田 太郎 - swish.ipynb": notebook("!pip install torch", "%matplotlib inline", SWISH),
        "Swish/Ann Lee - Copy of swish.ipynb": notebook(SWISH),
        "Swish/Bo Chen - swish.ipynb": b'{"cells": [',
    })
    found = by_student(discovery.find(path))
    assert set(found) == {("山田 太郎", "02_swish"), ("Ann Lee", "02_swish"), ("Bo Chen", "02_swish")}
    assert found["山田 太郎", "02_swish"].label == f"{path}/Swish/山田 太郎/swish.ipynb"
    assert not found["Ann Lee", "02_swish"].problem
    broken = found["Bo Chen", "02_swish"]  # one clear problem row, the class goes on
    assert "not a readable Jupyter notebook" in str(broken.problem) and not broken.files


def test_a_zip_uploaded_to_the_lms_is_opened_once(tmp_path):
    inner = tmp_path / "hw.zip"
    make_zip(inner, {"hw/02_swish/swish.py": SWISH, "hw/02_swish/helpers.py": "X = 1\n", "hw/01_last_token/last_token.py": LAST_TOKEN})
    escaping = tmp_path / "evil.zip"
    make_zip(escaping, {"../../escape.py": "x = 1\n"})
    path = make_zip(tmp_path / "submissions.zip", {"smithjohn_1234_1_hw.zip": inner.read_bytes(),
                                                   "leeann_1235_2_evil.zip": escaping.read_bytes()})
    found = by_student(discovery.find(path))
    john = found["smithjohn", "02_swish"]
    assert john.files == {"swish.py": SWISH.encode(), "helpers.py": b"X = 1\n"}
    assert john.label == f"{path}/smithjohn/hw.zip/hw/02_swish/swish.py" and ("smithjohn", "01_last_token") in found
    assert "outside the archive" in str(found["leeann", None].problem)
    moodle = make_zip(tmp_path / "moodle.zip", {"Ann Lee_48212_assignsubmission_file_/hw.zip": inner.read_bytes()})
    assert set(by_student(discovery.find(moodle))) == {("Ann Lee", "01_last_token"), ("Ann Lee", "02_swish")}


def test_exercise_forced_and_a_student_with_two_files_for_one_exercise(tmp_path):
    path = make_zip(tmp_path / "c.zip", {"leeann_1235_1_my_answer.py": SWISH, "smithjohn_1234_2_swish.py": SWISH,
                                         "smithjohn_1234_3_swish.ipynb": notebook(SWISH)})
    found = by_student(discovery.find(path, "02"))
    assert found["leeann", "02_swish"].shown_as == {"swish.py": "my_answer.py"}
    assert "several files for exercise 02_swish" in str(found["smithjohn", "02_swish"].problem)


def test_a_plain_class_folder_is_read_as_before(tmp_path):
    (tmp_path / "alice" / "02_swish").mkdir(parents=True)
    (tmp_path / "alice" / "02_swish" / "swish.ipynb").write_bytes(notebook(SWISH))
    [h] = discovery.resolve(str(tmp_path))
    assert h.student == "" and h.exercise.id == "02_swish" and h.shown_as == {"swish.py": "swish.ipynb"}


# -- notebooks ---------------------------------------------------------------------------------------------

def test_notebook_code_cells_without_magics_and_shell_lines_keep_their_place():
    data = notebook("!pip install torch\n%matplotlib inline\nimport torch", "if True:\n    !ls\nfiles = !ls\ntorch.sigmoid?",
                    "%%bash\necho hi", "%%time\ny = 2\nz = 1 / 0")
    got = notebooks.extract(data, "swish.ipynb")
    compile(got.code, "swish.py", "exec")  # valid Python: a dropped line inside a block leaves `pass`
    assert "pip" not in got.code.replace("# notebook magic", "") and "echo hi" not in got.code and "y = 2" in got.code
    line = got.code.splitlines().index("z = 1 / 0") + 1
    assert got.place(line) == (5, 3)  # the markdown cell is cell 1: `z = 1 / 0` is cell [5], line 3
    assert got.place(1) is None and got.place(10_000) is None  # a cell's marker line; past the end


@pytest.mark.parametrize("data", [b"{not json", b"[]", b'{"cells": 3}', b"\xff\xfe", json.dumps(
    {"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code", "source": 1}]}).encode()])
def test_a_broken_notebook_is_a_notebook_error(data):
    with pytest.raises(notebooks.NotebookError, match="not a readable Jupyter notebook"):
        notebooks.extract(data, "swish.ipynb")


def test_frames_into_a_notebook_name_its_cell_and_the_sandboxs_line_is_checked():
    lines = notebooks.extract(notebook("import torch", "def f():\n    raise ValueError"), "swish.ipynb").lines
    fake = SimpleNamespace(cells={"swish.py": lines}, _shown=lambda name: {"swish.py": "swish.ipynb"}.get(name, name))
    raise_line = lines.index((3, 2)) + 1
    placed = Sandbox._placed(fake, {"file": "swish.py", "line": raise_line, "function": "f", "code": "raise"})  # type: ignore[arg-type]
    assert (placed["file"], placed["cell"], placed["line"]) == ("swish.ipynb", 3, 2)
    for hostile in (0, -5, 10**9, "7", None):  # a line the map does not hold: left as sent, no cell claimed
        placed = Sandbox._placed(fake, {"file": "swish.py", "line": hostile, "function": "f", "code": ""})  # type: ignore[arg-type]
        assert "cell" not in placed and placed["file"] == "swish.ipynb"
    hang = stacks.where([{"file": "swish.ipynb", "cell": 3, "line": 2, "function": "f", "code": ""}])
    assert "line 2 of swish.ipynb, cell [3]" in str(hang)
    other = Sandbox._placed(fake, {"file": "helpers.py", "line": 3, "function": "g", "code": ""})  # type: ignore[arg-type]
    assert other == {"file": "helpers.py", "line": 3, "function": "g", "code": ""}


# -- the roster ---------------------------------------------------------------------------------------------

def write(tmp_path, text: str, name="roster.csv", encoding="utf-8-sig"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_roster_matches_by_lms_id_then_loosely_by_name(tmp_path):
    r = roster.read(write(tmp_path, "Student,Name,Email,LMS_ID\ns001,山田 太郎,,48211\ns002,John Smith,jsmith@uni.example,1234\n"
                                    "s003,佐藤 花子,,\n\ns004,Ann Lee,,\n"))
    assert [p.student for p in r.people] == ["s001", "s002", "s003", "s004"]
    assert r.match("anyone", "48211").student == "s001"           # the id decides
    assert r.match("smithjohn").student == "s002"                  # Canvas's lastfirst
    assert r.match("jsmith").student == "s002"                     # the e-mail's user name
    assert r.match("佐藤　花子").student == "s003"                  # a full-width space
    assert r.match("佐藤花子").student == "s003" and r.match("ＡＮＮ ＬＥＥ").student == "s004"  # NFKC, case
    assert r.match("s004").student == "s004" and r.match("Mallory") is None


@pytest.mark.parametrize("text, needle", [
    ("name,email\nAnn,\n", "no 'student' column"),
    ("student\n\n", "no students listed"),
    ("student,name\ns1,A\ns1,B\n", "listed twice"),
    ("student,name\n,A\n", "empty 'student' cell"),
])
def test_a_bad_roster_is_a_one_line_usage_error(tmp_path, text, needle):
    with pytest.raises(UsageError, match=needle):
        roster.read(write(tmp_path, text))
    with pytest.raises(UsageError, match="not UTF-8"):
        roster.read(write(tmp_path, "student\n山田\n", "sjis.csv", "shift_jis"))
    with pytest.raises(UsageError, match="cannot read"):
        roster.read(tmp_path / "nope.csv")


def result(label: str, ex: str, score: int) -> ExerciseResult:
    check = CheckResult(id="c", name="c", task="t", outcome="passed" if score else "failed", score=score, max_score=2,
                        visibility="hidden", message="")
    return ExerciseResult(ex, ex, label, [check])


def test_gradebook_with_a_roster_shows_who_handed_in_nothing_and_flags_strangers(tmp_path):
    r = roster.read(write(tmp_path, "student,name,lms_id\ns001,山田 太郎,48211\ns002,Ann Lee,\ns003,Bo Chen,\n"))
    results = [result("dl.zip/山田 太郎/swish.py", "02_swish", 2), result("dl.zip/Ann Lee/swish.py", "02_swish", 0),
               result("dl.zip/Mallory/swish.py", "02_swish", 2)]
    owners = {"dl.zip/山田 太郎/swish.py": ("山田 太郎", "48211"), "dl.zip/Ann Lee/swish.py": ("Ann Lee", ""),
              "dl.zip/Mallory/swish.py": ("Mallory", "")}
    book = gradebook.build(results, ["dl.zip"], owners=owners, roster=r)
    rows = {row.student: (row.scores["02_swish"], row.status) for row in book.rows}
    assert rows == {"s001": (2, ""), "s002": (0, ""), "s003": (None, "missing"), "Mallory": (2, "unlisted")}
    csv_text = classout.gradebook_csv(book, roster=True)
    assert csv_text.splitlines()[0] == "student,02_swish,total,status" and "s003,,0,missing" in csv_text
    # without the roster, the LMS's names are the rows; without owners, an archive is one student as before
    assert {row.student for row in gradebook.build(results, ["dl.zip"], owners=owners).rows} == {"山田 太郎", "Ann Lee", "Mallory"}
    assert {row.student for row in gradebook.build(results, ["dl.zip"]).rows} == {"dl"}


# -- end to end: one Canvas download, notebooks, a roster ---------------------------------------------------------

def run(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={"PATH": "/usr/bin:/bin", "CI": "1", "HOME": "/tmp"})


def test_a_canvas_download_of_notebooks_graded_with_a_roster(tmp_path):
    failing = SWISH.replace("def forward(", 'def forward(ctx, *args):\n        raise ValueError("boom")\n\n    def _old_forward(', 1)
    path = make_zip(tmp_path / "submissions.zip", {
        "yamadatarou_48211_1_swish.ipynb": notebook("!pip install torch\n%matplotlib inline", SWISH, "%%bash\nls"),
        "leeann_LATE_1235_2_02_swish-1.ipynb": notebook("import torch", failing),
        "chenbo_1236_3_swish.ipynb": b"{broken",
        "mallory_666_4_swish.ipynb": notebook(SWISH),
    })
    roster_csv = write(tmp_path, "student,name,lms_id\ns001,山田 太郎,48211\ns002,Ann Lee,1235\ns003,Bo Chen,1236\n"
                                 "s004,Dan Wu,1237\n")
    out = tmp_path / "out"
    done = run(path, "--out", str(out), "--roster", str(roster_csv), "--html", str(tmp_path / "r.html"))
    assert done.returncode == 1, done.stderr  # not everyone passed
    book = (out / "gradebook.csv").read_text().splitlines()
    assert book[0] == "student,02_swish,total,status"
    rows = {line.split(",")[0]: line.split(",")[1:] for line in book[1:]}
    full = rows["s001"][0]
    assert int(full) > 0 and rows["mallory"] == [full, full, "unlisted"] and rows["s004"] == ["", "0", "missing"]
    assert rows["s003"][0] == "0" and rows["s002"][0] == "0"  # a broken notebook; a forward that raises
    ann = json.loads((out / "students" / "s002.json").read_text())
    frames = [f for e in ann["exercises"] for c in e["checks"] for f in c.get("frames", [])]
    line = [t.strip() for t in failing.splitlines()].index('raise ValueError("boom")') + 1
    assert {"file": "02_swish.ipynb", "cell": 3, "line": line} in [{k: f.get(k) for k in ("file", "cell", "line")} for f in frames]
    assert f"02_swish.ipynb, cell [3], line {line}" in (out / "students" / "s002.html").read_text()
    dashboard = (out / "index.html").read_text()
    assert "Nothing handed in (on the roster): 1" in dashboard and "Not on the roster (graded): 1" in dashboard
    bad = run(path, "--out", str(out), "--roster", str(write(tmp_path, "name\nx\n", "bad.csv")))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "no 'student' column" in bad.stderr
    alone = run(path, "--roster", str(roster_csv))
    assert alone.returncode == 2 and "--roster needs --out" in alone.stderr
