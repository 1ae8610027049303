"""LMS downloads (Moodle, Canvas, Google Classroom) become students of a class, each exercise by its file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from grader import catalog, discovery, lms

REPO = Path(__file__).resolve().parent.parent
SWISH = (REPO / "solutions" / "02_swish" / "swish.py").read_bytes()
LINEAR = (REPO / "solutions" / "05_linear_loop" / "train_linear.py").read_bytes()


def make(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def zipped(folder: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(folder, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return folder


def by_label(found) -> dict[str, discovery.Handin]:
    return {h.label: h for h in found}


MOODLE = {
    "Alice Smith_1001_assignsubmission_file_/swish.py": SWISH,
    "Alice Smith_1001_assignsubmission_file_/train_linear.py": LINEAR,
    "山田 太郎_1002_assignsubmission_file_/05_linear_loop/train_linear.py": LINEAR,
    "Bob Lee_1003_assignsubmission_file_/notes.txt": b"no code",
}
CANVAS = {
    "smithalice_1001_5001_swish.py": SWISH,
    "leebob_LATE_1003_5002_train_linear.py": LINEAR,
    "leebob_1003_5003_swish-1.py": SWISH,
    "yamadataro_1002_5004_readme.txt": b"x",
}
CLASSROOM = {
    "Alice Smith - swish.py": SWISH,
    "山田 太郎 - train_linear.py": LINEAR,
}


@pytest.mark.parametrize("files, layout", [(MOODLE, "moodle"), (CANVAS, "canvas"), (CLASSROOM, "classroom")])
def test_each_layout_is_recognised(tmp_path, files, layout):
    found = lms.student_files(make(tmp_path, files))
    assert found is not None and found[0] == layout


def test_a_class_folder_is_no_lms_download(tmp_path):
    assert lms.student_files(make(tmp_path, {"alice/02_swish/swish.py": SWISH, "bob/05_linear_loop/train_linear.py": LINEAR})) is None
    assert lms.student_files(make(tmp_path / "mixed", {"Alice - swish.py": SWISH, "stray.py": b""})) is None


def test_moodle_folders_map_to_students_and_exercises(tmp_path):
    found = by_label(discovery.find(str(make(tmp_path / "dl", MOODLE))))
    root = str(tmp_path / "dl")
    assert set(found) == {f"{root}/Alice Smith/02_swish", f"{root}/Alice Smith/05_linear_loop",
                          f"{root}/山田 太郎/05_linear_loop"}
    assert all(not h.problem for h in found.values())
    assert found[f"{root}/Alice Smith/02_swish"].files == {"swish.py": SWISH}


def test_canvas_names_late_files_and_renamed_copies(tmp_path):
    archive = zipped(tmp_path / "submissions.zip", CANVAS)
    found = by_label(discovery.find(str(archive)))
    assert set(found) == {f"{archive}/smithalice/02_swish", f"{archive}/leebob/05_linear_loop", f"{archive}/leebob/02_swish"}
    assert found[f"{archive}/leebob/02_swish"].files == {"swish.py": SWISH}  # swish-1.py is the student's swish.py


def test_classroom_names_keep_japanese(tmp_path):
    found = by_label(discovery.find(str(make(tmp_path / "dl", CLASSROOM))))
    assert f"{tmp_path / 'dl'}/山田 太郎/05_linear_loop" in found


def test_student_names_are_made_safe():
    assert lms.student_name("../../etc/passwd") == "etc passwd"  # no separators, no leading dots
    assert lms.student_name("Ａｌｉｃｅ\u202e\x00 Smith") == "Alice Smith"
    assert len(lms.student_name("x" * 1000)) == lms.MAX_NAME
    assert lms.student_name("  ") == "student"


def test_namesakes_stay_apart(tmp_path):
    files = {"Alice Smith_1001_assignsubmission_file_/swish.py": SWISH,
             "Alice Smith_2002_assignsubmission_file_/swish.py": SWISH}
    labels = set(by_label(discovery.find(str(make(tmp_path / "dl", files)))))
    root = str(tmp_path / "dl")
    assert labels == {f"{root}/Alice Smith (1001)/02_swish", f"{root}/Alice Smith (2002)/02_swish"}


def test_an_lms_download_grades_like_a_class(grader, tmp_path):
    archive = zipped(tmp_path / "canvas.zip", {"smithalice_1001_5001_train_linear.py": LINEAR})
    [handin] = discovery.resolve(str(archive))
    assert handin.exercise == catalog.by_number("05")
    result = grader.grade(handin)
    assert result.score == result.max_score > 0
