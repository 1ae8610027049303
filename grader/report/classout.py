"""`--out DIR`: what an instructor sends back and looks at, one file per job, from the results only.

DIR/index.html (the class dashboard), DIR/students/<student>.html and .json, DIR/gradebook.csv
(student x exercise), DIR/checks.csv (student x check), DIR/gradescope/<student>/results.json.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader import gradebook
from grader.report.export import _cell, gradescope
from grader.results import ExerciseResult, json_safe, run_as_dict, safe_result

if TYPE_CHECKING:
    from grader.roster import Roster


def safe_name(student: str) -> str:
    """A file name for a student: letters, digits, . _ - kept, anything else becomes _ (never empty, never hidden)."""
    name = re.sub(r"[^\w.-]", "_", student).lstrip(".") or "student"
    return name[:100]


def gradebook_csv(book: gradebook.Gradebook, roster: bool = False) -> str:
    """student, a column per exercise (empty: nothing handed in), total; with a roster, a status column too."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["student", *book.exercises, "total", *(["status"] if roster else [])])
    for row in book.rows:
        w.writerow([_cell(row.student), *("" if row.scores[ex] is None else row.scores[ex] for ex in book.exercises),
                    row.total, *([row.status] if roster else [])])
    return out.getvalue()


def checks_csv(book: gradebook.Gradebook, results: list[ExerciseResult]) -> str:
    columns = gradebook.check_columns(results)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["student", *columns])
    for row in book.rows:
        scores = gradebook.check_scores(row)
        w.writerow([_cell(row.student), *(scores.get(c, "") for c in columns)])
    return out.getvalue()


def _atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_class(out: Path, results: list[ExerciseResult], roots: list[str], facts: dict[str, Any],
                lang: str = "en", owners: Mapping[str, tuple[str, str]] | None = None,
                roster: Roster | None = None) -> list[str]:
    """Write everything under `out`; returns the paths written. Results are already redacted if asked.

    `owners` and `roster`: see gradebook.build. A roster's student with nothing handed in has no report files.
    """
    from grader.report import dashboard, html

    results = [safe_result(r, lang) for r in results]
    facts = json_safe(facts)
    book = gradebook.build(results, roots, owners=owners, roster=roster)
    written = []

    def put(rel: str, text: str) -> None:
        _atomic(out / rel, text)
        written.append(str(out / rel))

    links: dict[str, str] = {}
    for row in book.rows:
        if not row.results:
            continue
        name = safe_name(row.student)
        if name in links.values():  # two names that clean up alike stay apart
            name = f"{name}-{len(links)}"
        links[row.student] = name
        put(f"students/{name}.html", html.render(row.results, facts, lang))
        put(f"students/{name}.json", json.dumps(run_as_dict(row.results, facts, lang), indent=2, ensure_ascii=False))
        put(f"gradescope/{name}/results.json", json.dumps(gradescope(row.results), indent=2, ensure_ascii=False))
    put("gradebook.csv", gradebook_csv(book, roster is not None))
    put("checks.csv", checks_csv(book, results))
    put("index.html", dashboard.render(book, results, links, facts))
    return written

