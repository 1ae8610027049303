"""The class gradebook as pure functions over results: who each submission belongs to, the grid, the totals.

Kept apart from any writer so the CSV files, the dashboard and the tests read the same numbers.

How labels map to students (`student_of`): a submission's label starts with the path typed on the
command line (its root). Under a class folder `class/`, the student is the first folder level:
`class/alice/03_residual_mlp` -> `alice`. An archive typed as a path is one student named after the
archive: `alice.zip/03_residual_mlp` -> `alice`. A submission that is the typed path itself (a single
exercise folder or file) is named after that path's last part. Where discovery was told the student
by the layout (an LMS download, see grader.lms), that name is used: `owners` maps labels to it.

With a roster (grader.roster), rows are the roster's students: one who handed in nothing is a row of
empty cells marked missing, a submission of someone not on it keeps its own row, marked unlisted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from grader.results import PROBLEM_CHECK_ID, ExerciseResult

if TYPE_CHECKING:
    from grader.roster import Roster

_ARCHIVE = re.compile(r"\.(zip|tar|tar\.gz|tgz)$", re.IGNORECASE)


def _stem(name: str) -> str:
    return _ARCHIVE.sub("", name) or name


def student_of(label: str, roots: list[str]) -> str:
    """The student a submission label belongs to, given the paths typed (see the module docstring)."""
    label = label.replace("\\", "/")
    best = ""
    for root in roots:
        r = root.replace("\\", "/").rstrip("/")
        if (label == r or label.startswith(r + "/")) and len(r) >= len(best):
            best = r
    if best and _ARCHIVE.search(best):
        return _stem(PurePath(best).name)
    rest = label[len(best):].strip("/") if best else label.strip("/")
    if rest:
        return rest.split("/")[0]
    return _stem(PurePath(best or label).name) or "student"


@dataclass
class StudentRow:
    """One student's line of the gradebook: a score per exercise id (None: no submission)."""
    student: str
    scores: dict[str, int | None]
    results: list[ExerciseResult] = field(default_factory=list)
    status: str = ""  # with a roster: "missing" (on it, nothing handed in), "unlisted" (not on it), or ""

    @property
    def total(self) -> int:
        return sum(s for s in self.scores.values() if s is not None)

    @property
    def missing(self) -> list[str]:
        return [ex for ex, s in self.scores.items() if s is None]


@dataclass
class Gradebook:
    exercises: list[str]          # exercise ids, in order, the columns
    max_scores: dict[str, int]    # exercise id -> its points
    rows: list[StudentRow]        # sorted by student name

    @property
    def max_total(self) -> int:
        return sum(self.max_scores.values())


def build(results: list[ExerciseResult], roots: list[str], exercises: list[str] | None = None,
          owners: Mapping[str, tuple[str, str]] | None = None, roster: Roster | None = None) -> Gradebook:
    """Students x exercises. Columns: `exercises` if given, else every exercise id seen (unknown ones left out).

    Two submissions of one student for one exercise: the best score counts (both stay in `results`).
    `owners`: label -> (student, LMS id) where discovery knows them; `roster`: see the module docstring.
    """
    seen = sorted({r.id for r in results if r.id != "unknown"})
    columns = list(exercises) if exercises is not None else seen
    max_scores = {ex: max((r.max_score for r in results if r.id == ex), default=0) for ex in columns}
    by_student: dict[str, StudentRow] = {}
    listed: set[str] = set()
    for r in results:
        name, lms_id = (owners or {}).get(r.label) or (student_of(r.label, roots), "")
        person = roster.match(name, lms_id) if roster is not None else None
        if person is not None:
            name = person.student
            listed.add(name)
        row = by_student.setdefault(name, StudentRow(name, {ex: None for ex in columns}))
        row.results.append(r)
        if r.id in row.scores:
            old = row.scores[r.id]
            row.scores[r.id] = r.score if old is None else max(old, r.score)
    if roster is not None:
        for name, row in by_student.items():
            row.status = "" if name in listed else "unlisted"
        for person in roster.people:
            if person.student not in by_student:
                by_student[person.student] = StudentRow(person.student, {ex: None for ex in columns}, status="missing")
    return Gradebook(columns, max_scores, [by_student[k] for k in sorted(by_student)])


def check_columns(results: list[ExerciseResult]) -> list[str]:
    """`exercise/check` ids of every real check seen, in a stable order (the columns of checks.csv)."""
    return sorted({f"{r.id}/{c.id}" for r in results for c in r.checks if c.id != PROBLEM_CHECK_ID})


def check_scores(row: StudentRow) -> dict[str, int]:
    """A student's points per `exercise/check` (best over duplicate submissions)."""
    out: dict[str, int] = {}
    for r in row.results:
        for c in r.checks:
            key = f"{r.id}/{c.id}"
            out[key] = max(out.get(key, c.score), c.score)
    return out


def pass_rates(results: list[ExerciseResult], exercise: str) -> list[tuple[str, str, int, int]]:
    """(check id, check name, passed, graded) for every check of one exercise; problems not counted."""
    counts: dict[str, list] = {}
    for r in results:
        if r.id != exercise or r.problem:
            continue
        for c in r.checks:
            entry = counts.setdefault(c.id, [c.name, 0, 0])
            entry[1] += c.outcome == "passed"
            entry[2] += c.outcome != "skipped"
    return [(cid, name, p, n) for cid, (name, p, n) in counts.items()]


_HINT = re.compile(r"\(([^()]{8,200})\)\s*$")


def hint_of(check_id: str, message: str) -> str:
    """What a failure teaches: the hint in parentheses at the end of its message, else check id + first line."""
    first = message.strip().splitlines()[0] if message.strip() else ""
    m = _HINT.search(message.strip())
    if m:
        return m.group(1).strip()
    first = re.sub(r"-?\d+(\.\d+)?(e-?\d+)?", "N", first)[:160]  # numbers differ per student; the mistake does not
    return f"{check_id}: {first}"


def common_mistakes(results: list[ExerciseResult], exercise: str, top: int = 5) -> list[tuple[str, int]]:
    """The most frequent hints of one exercise's failed checks, counted once per student submission."""
    counter: Counter[str] = Counter()
    for r in results:
        if r.id != exercise or r.problem:
            continue
        hints = {hint_of(c.id, str(c.message)) for c in r.checks if c.outcome in ("failed", "error")}
        counter.update(hints)
    return counter.most_common(top)


def histogram(scores: list[int], max_score: int, bins: int = 10) -> list[int]:
    """Counts of scores in `bins` equal bins over 0..max_score (the top bin includes max_score)."""
    counts = [0] * bins
    for s in scores:
        i = bins - 1 if max_score <= 0 else min(bins - 1, int(bins * s / max_score)) if s < max_score else bins - 1
        counts[max(0, i)] += 1
    return counts


def troubles(results: list[ExerciseResult]) -> list[tuple[str, str, str]]:
    """(submission, outcome, message) of every run that timed out, crashed or was refused."""
    out = []
    for r in results:
        if r.problem:
            out.append((r.label, "refused", str(r.problem)))
            continue
        for c in r.checks:
            if c.outcome in ("timeout", "crashed") or c.grader_error:
                text = str(c.message).strip()  # results reach here localized (safe_result)
                out.append((r.label, c.outcome, f"{c.id}: {text.splitlines()[0] if text else ''}"))
                break
    return out
