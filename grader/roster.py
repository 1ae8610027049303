"""`--roster FILE`: the class list, so that who handed in nothing shows, and who is not on it stands out.

The file is a CSV (UTF-8, a BOM allowed, as Excel writes it) with a header row:

    student,name,email,lms_id
    s001,山田 太郎,yamada@example.ac.jp,
    s002,John Smith,,48211

`student` is required: the name the gradebook shows, and what a class folder's student folder is
called. `name` (the full name as the LMS shows it), `email` and `lms_id` (the LMS's id of the
student: Canvas's user id, or Moodle's participant id; `id` is read as this too) are optional.

A submission belongs to the roster's student whose `lms_id` is the id in its LMS file name; else
whose `student`, `name` (also with its words in the other order: Canvas writes `smithjohn`), or
e-mail user name equals the submission's student name compared loosely: Unicode NFKC, case
folded, spaces and punctuation dropped (so `山田　太郎`, `山田太郎` and `ＹＡＭＡＤＡ` match
`山田 太郎` and `yamada`). A name two roster rows share matches neither.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError

MAX_ROWS = 10_000
MAX_BYTES = 5 * 2**20
_ID_COLUMNS = ("lms_id", "id")


@dataclass(frozen=True)
class Person:
    student: str
    name: str = ""
    email: str = ""
    lms_id: str = ""


def normal(name: str) -> str:
    """A name compared loosely: NFKC, case folded, only letters and digits kept (any script)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def _keys(person: Person) -> set[str]:
    keys = {normal(person.student), normal(person.name)}
    for text in (person.student, person.name):
        words = unicodedata.normalize("NFKC", text).split()
        if len(words) > 1:
            keys.add(normal("".join(reversed(words))))
    if "@" in person.email:
        keys.add(normal(person.email.split("@", 1)[0]))
    return keys - {""}


@dataclass
class Roster:
    people: list[Person]

    def __post_init__(self) -> None:
        self._by_id = {p.lms_id: p for p in self.people if p.lms_id}
        owners: dict[str, set[str]] = {}
        for p in self.people:
            for key in _keys(p):
                owners.setdefault(key, set()).add(p.student)
        by_student = self._by_student = {p.student: p for p in self.people}
        self._by_key = {k: by_student[next(iter(s))] for k, s in owners.items() if len(s) == 1}

    def match(self, student: str, lms_id: str = "") -> Person | None:
        """The roster's person a submission of `student` (with the LMS's `lms_id`, if any) belongs to, or None."""
        if lms_id and lms_id in self._by_id:
            return self._by_id[lms_id]
        return self._by_student.get(student) or self._by_key.get(normal(student))


def read(path: Path) -> Roster:
    """The roster at `path`; UsageError (one line) when it cannot be read or has no `student` column."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(f"--roster {path}: larger than {MAX_BYTES // 2**20} MB; is this the class list?")
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"--roster {path}: not UTF-8 text; save it as CSV UTF-8") from None
    except OSError as exc:
        raise UsageError(f"--roster {path}: cannot read it ({exc.strerror or exc})") from None
    try:
        reader = csv.DictReader(text.splitlines())
        header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
        if "student" not in header:
            raise UsageError(f"--roster {path}: no 'student' column in the header row (found: {', '.join(header[:8]) or 'nothing'})")
        reader.fieldnames = header
        people: list[Person] = []
        seen: set[str] = set()
        for row in reader:
            if len(people) >= MAX_ROWS:
                raise UsageError(f"--roster {path}: more than {MAX_ROWS} rows")
            cell = {k: (v or "").strip() if isinstance(v, str) else "" for k, v in row.items() if k}
            if not any(cell.values()):
                continue  # a blank line
            student = cell.get("student", "")
            if not student:
                raise UsageError(f"--roster {path}: line {reader.line_num} has an empty 'student' cell")
            if student in seen:
                raise UsageError(f"--roster {path}: student {student!r} is listed twice (line {reader.line_num})")
            seen.add(student)
            lms_id = next((cell[c] for c in _ID_COLUMNS if cell.get(c)), "")
            people.append(Person(student, cell.get("name", ""), cell.get("email", ""), lms_id))
    except csv.Error as exc:
        raise UsageError(f"--roster {path}: not a readable CSV file ({exc})") from None
    if not people:
        raise UsageError(f"--roster {path}: no students listed")
    return Roster(people)
