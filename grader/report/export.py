"""Exports for other tools, as pure functions of the results: a gradebook CSV and Gradescope's results.json."""

from __future__ import annotations

import csv
import io
from typing import Any

from grader.report.text import one_line, printable
from grader.results import ExerciseResult


def _cell(text: str) -> str:
    """One line, and never read as a formula by a spreadsheet (=, +, -, @ at the start)."""
    text = printable(text, one_line=True)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def gradebook_csv(results: list[ExerciseResult]) -> str:
    """One row per graded submission: what a spreadsheet or LMS import wants."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["submission", "exercise", "score", "max_score", "passed", "failed", "errors", "problem"])
    for r in results:
        outcomes = [c.outcome for c in r.checks]
        writer.writerow([_cell(r.label), _cell(r.id), r.score, r.max_score, outcomes.count("passed"),
                         outcomes.count("failed"), len(outcomes) - outcomes.count("passed") - outcomes.count("failed"),
                         _cell(str(r.problem))])
    return out.getvalue()


def gradescope(results: list[ExerciseResult]) -> dict[str, Any]:
    """Gradescope's autograder results.json: hidden checks stay hidden until grades are published."""
    tests = []
    for r in results:
        for c in r.checks:
            tests.append({
                "name": printable(f"{r.id}: {c.name}", one_line=True),
                "number": printable(c.task, one_line=True), "score": c.score, "max_score": c.max_score,
                "status": "passed" if c.outcome == "passed" else "failed",
                "output": one_line(c, 2000) if c.outcome != "passed" else "",
                "visibility": "visible" if c.visibility == "visible" else "after_published",
            })
    return {"score": sum(r.score for r in results), "tests": tests,
            "output": f"{sum(r.score for r in results)}/{sum(r.max_score for r in results)} points"}
