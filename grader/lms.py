"""The "download all submissions" layouts of Moodle, Canvas and Google Classroom: names to students.

Pure functions over the names at the top of a folder or archive; discovery reads the files.

- Moodle: a folder per submission, `Full Name_12345_assignsubmission_file_/` (also `_onlinetext_`),
  the student's files inside; or, downloaded without folders, files
  `Full Name_12345_assignsubmission_file_swish.py`. 12345 is Moodle's participant id.
- Canvas: flat files `lastfirst_12345_67890_swish.py` (`lastfirst_LATE_12345_67890_swish.py` when
  late); 12345 is the Canvas user id. Canvas adds `-1`, `-2` before the extension of a file uploaded
  again under the same name: `swish-1.py` is `swish.py` (of two, the higher number is the newer one).
  Text entries (`lastfirst_12345_text.html`) are not code and are left out.
- Google Classroom (a Drive download of the assignment's folder): files `Full Name - swish.ipynb`;
  Drive's `Copy of ` / `のコピー` is dropped from the original name. No id: students are told apart
  by name.

Detection: the layout whose pattern every entry at the top matches (junk such as `__MACOSX` and
hidden files aside), tried in the order Moodle, Canvas, Classroom; a folder or archive holding a
single folder is looked into once (Drive wraps the files in the assignment's folder). No match: not
an LMS download, and discovery reads it as a class folder as before.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_NAME = 60  # characters of a student's name kept; names come from file names, which students chose

_JUNK = {"__MACOSX", "desktop.ini", "Thumbs.db"}
_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_(?P<plugin>[a-z]+)_(?P<file>.*)$", re.DOTALL)
_CANVAS = re.compile(r"^(?P<name>[^_]+?)(?P<late>_LATE)?_(?P<id>\d+)_(?:(?P<sub>\d+)_(?P<file>.+)|text\.html)$", re.DOTALL)
_CANVAS_AGAIN = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)(?P<ext>\.[^.]+)?$", re.DOTALL)
_CLASSROOM = re.compile(r"^(?P<name>.+?) - (?P<file>.+)$", re.DOTALL)
_COPY = re.compile(r"^(?:Copy of |のコピー\s*)|\s*のコピー$")

LAYOUTS = ("moodle", "canvas", "classroom")


@dataclass(frozen=True)
class Entry:
    """One top-level name of an LMS download: whose it is and what the student called the file."""

    top: str            # the name at the top of the download (a Moodle folder, or a file)
    student: str        # the name shown in reports: bounded and printable (see clean_name)
    lms_id: str         # the LMS's id of the student, or '' (Classroom gives none)
    original: str       # the file's name as uploaded ('' for a Moodle folder: its files keep their names)
    late: bool = False  # Canvas marks late submissions in the name
    again: int = 0      # Canvas's -N: how many times this name was uploaded before


def clean_name(name: str) -> str:
    """A student's name as reports show it: NFC, no control or format characters, one space, at most MAX_NAME."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    text = " ".join(text.replace("/", "_").replace("\\", "_").split())
    return text[:MAX_NAME].strip() or "student"


def is_junk(name: str) -> bool:
    return name in _JUNK or name.startswith(".")


def parse(layout: str, name: str, is_dir: bool) -> Entry | None:
    """The entry for one top-level name under `layout`, or None when the name does not follow it."""
    if layout == "moodle":
        m = _MOODLE.match(name)
        if not m or (is_dir and m["file"]) or (not is_dir and not m["file"]):
            return None
        return Entry(name, clean_name(m["name"]), m["id"], m["file"])
    if is_dir:
        return None
    if layout == "canvas":
        m = _CANVAS.match(name)
        if not m:
            return None
        original, again = m["file"] or "", 0
        if (m2 := _CANVAS_AGAIN.match(original)) is not None:
            original, again = m2["stem"] + (m2["ext"] or ""), int(m2["n"][:6])
        return Entry(name, clean_name(m["name"]), m["id"], original, late=bool(m["late"]), again=again)
    if layout == "classroom":
        m = _CLASSROOM.match(name)
        if not m:
            return None
        return Entry(name, clean_name(m["name"]), "", _COPY.sub("", m["file"]).strip() or m["file"])
    raise ValueError(f"unknown LMS layout {layout!r}")


def detect(names: list[tuple[str, bool]]) -> str | None:
    """The layout every (name, is_dir) at the top follows, or None. Junk is not counted either way."""
    real = [(n, d) for n, d in names if not is_junk(n)]
    if not real:
        return None
    for layout in LAYOUTS:
        if all(parse(layout, n, d) is not None for n, d in real):
            return layout
    return None


def entries(layout: str, names: list[tuple[str, bool]]) -> list[Entry]:
    """The entries of a download of `layout`, with one display name per student.

    Two students of one name (two ids) are told apart as `Name (id)`.
    """
    found = [e for n, d in names if not is_junk(n) and (e := parse(layout, n, d)) is not None]
    ids_of: dict[str, set[str]] = {}
    for e in found:
        ids_of.setdefault(e.student.casefold(), set()).add(e.lms_id)
    out = []
    for e in found:
        if e.lms_id and len(ids_of[e.student.casefold()]) > 1:
            e = Entry(e.top, clean_name(f"{e.student[:MAX_NAME - 14]} ({e.lms_id[:10]})"), e.lms_id, e.original, e.late,
                      e.again)
        out.append(e)
    return out
