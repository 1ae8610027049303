"""Exports for other tools, as pure functions of the results: a gradebook CSV and Gradescope's results.json."""

from __future__ import annotations

import csv
import io
from typing import Any

from grader.report.text import one_line
from grader.results import ExerciseResult


def gradebook_csv(results: list[ExerciseResult]) -> str:
    """One row per graded submission: what a spreadsheet or LMS import wants."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["submission", "exercise", "score", "max_score", "passed", "failed", "errors"])
    for r in results:
        outcomes = [c.outcome for c in r.checks]
        writer.writerow([r.submission, r.id, r.score, r.max_score, outcomes.count("passed"),
                         outcomes.count("failed"), len(outcomes) - outcomes.count("passed") - outcomes.count("failed")])
    return out.getvalue()


def gradescope(results: list[ExerciseResult]) -> dict[str, Any]:
    """Gradescope's autograder results.json: hidden checks stay hidden until grades are published."""
    tests = []
    for r in results:
        for c in r.checks:
            tests.append({
                "name": f"{r.id}: {c.name}", "number": c.task, "score": c.score, "max_score": c.max_score,
                "status": "passed" if c.outcome == "passed" else "failed",
                "output": one_line(c, 2000) if c.outcome != "passed" else "",
                "visibility": "visible" if c.visibility == "visible" else "after_published",
            })
    return {"score": sum(r.score for r in results), "tests": tests,
            "output": f"{sum(r.score for r in results)}/{sum(r.max_score for r in results)} points"}
