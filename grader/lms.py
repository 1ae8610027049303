"""The "download all submissions" layouts of Moodle, Canvas and Google Classroom, mapped to students.

An LMS names each student's files in its own pattern; `student_files` recognises one of them in a
folder's top level and returns every file by student and original file name. Discovery then lays them
out as `<student>/<exercise>/<file>`, the class layout, and grades as usual.

- Moodle: one folder per student and assignment, `Full Name_12345_assignsubmission_file_` (also
  `_onlinetext_`), the student's files inside;
- Canvas: a flat folder of `lastfirst_12345_67890_name.py`, `lastfirst_LATE_12345_67890_name.py`;
  a name Canvas made unique ends in `-1`, `-2` (`swish-1.py`);
- Google Classroom (the assignment's Drive folder): `Full Name - name.py`.

The layout is the one that every submission-like entry of the top level matches (folders for Moodle,
files for the other two); anything else is not an LMS download and is scanned as a class folder.
Student names come from the submissions, so they are hostile: NFKC-normalised, path separators and
control characters removed, bounded in length.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAX_NAME = 80

_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_(?:file|onlinetext)_?$")
_CANVAS = re.compile(r"^(?P<name>[^_]+?)(?:_late)?_(?P<id>\d+)_(?P<sub>\d+)_(?P<original>.+)$", re.IGNORECASE)
_CLASSROOM = re.compile(r"^(?P<name>.+?) - (?P<original>.+)$")
_CANVAS_COPY = re.compile(r"^(?P<stem>.+?)-\d+(?P<suffix>\.[A-Za-z0-9]+)$")
_SUBMITTED = (".py", ".ipynb", ".zip", ".tar", ".tgz", ".gz")


@dataclass(frozen=True)
class StudentFile:
    student: str     # the student's name as the LMS gives it, made safe
    lms_id: str      # the LMS's id of the student ("" when the layout has none)
    original: str    # the file's name as the student uploaded it (relative, inside a Moodle folder)
    path: Path       # where it is


def student_name(raw: str) -> str:
    """A display name safe for a folder and a report: NFKC, no separators or controls, bounded."""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" or c in "/\\" else c for c in text)
    text = " ".join(text.split()).strip(" .")
    return text[:MAX_NAME] or "student"


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith((".", "_")) and not p.is_symlink())


def _files_below(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def _moodle(entries: list[Path]) -> list[StudentFile] | None:
    folders = [p for p in entries if p.is_dir()]
    matches = [(p, _MOODLE.match(p.name)) for p in folders]
    if not folders or not all(m for _p, m in matches) or any(p.is_file() and p.suffix in _SUBMITTED for p in entries):
        return None
    return [StudentFile(student_name(m.group("name")), m.group("id"), f.relative_to(p).as_posix(), f)
            for p, m in matches if m for f in _files_below(p)]


def _flat(entries: list[Path], pattern: re.Pattern[str]) -> list[tuple[Path, re.Match[str]]] | None:
    submitted = [p for p in entries if p.is_file() and p.name.endswith(_SUBMITTED)]
    matches = [(p, pattern.match(p.name)) for p in submitted]
    if not submitted or any(p.is_dir() for p in entries) or not all(m for _p, m in matches):
        return None
    return [(p, m) for p, m in matches if m]


def _canvas(entries: list[Path]) -> list[StudentFile] | None:
    found = _flat(entries, _CANVAS)
    if found is None:
        return None
    out = []
    for path, m in found:
        original = m.group("original")
        copy = _CANVAS_COPY.match(original)
        out.append(StudentFile(student_name(m.group("name")), m.group("id"),
                               copy.group("stem") + copy.group("suffix") if copy else original, path))
    return out


def _classroom(entries: list[Path]) -> list[StudentFile] | None:
    found = _flat(entries, _CLASSROOM)
    if found is None:
        return None
    return [StudentFile(student_name(m.group("name")), "", m.group("original"), path) for path, m in found]


LAYOUTS = {"moodle": _moodle, "canvas": _canvas, "classroom": _classroom}


def student_files(folder: Path) -> tuple[str, list[StudentFile]] | None:
    """(layout, files) when `folder`'s top level is one LMS's download; None otherwise."""
    try:
        entries = _entries(folder)
    except OSError:
        return None
    for layout, read in LAYOUTS.items():
        found = read(entries)
        if found:
            return layout, found
    return None
