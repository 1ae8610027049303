"""What goes into a student repository: CI workflow templates (and `grade-release`, which writes one)."""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
WORKFLOWS = {".github/workflows/grade.yml": TEMPLATES / ".github" / "workflows" / "grade.yml",
             ".gitlab-ci.yml": TEMPLATES / ".gitlab-ci.yml"}
# graded mode only: grades pull requests with the hidden checks, the workflow taken from the base branch
GRADED_WORKFLOWS = {".github/workflows/grade-graded.yml": TEMPLATES / ".github" / "workflows" / "grade-graded.yml"}


def hidden_counts(suites_dir: Path | None = None) -> dict[str, dict[str, int]]:
    """In a student release: per exercise, how many hidden checks it leaves out and their points ({} otherwise)."""
    import json

    from grader import catalog

    suites_dir = suites_dir or catalog.SUITES_DIR
    counts = {}
    for ex in catalog.EXERCISES:
        path = suites_dir / f"ex{ex.id}" / HIDDEN_FILE
        if (path.parent / "_unlocked_checks.py").is_file():
            continue  # a graded release opened with its key: every check runs
        try:
            data = json.loads(path.read_text())
            counts[ex.id] = {"checks": int(data["checks"]), "points": int(data["points"])}
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return counts


def hidden_note(exercise_ids: list[str], suites_dir: Path | None = None) -> str:
    """One line for students: what their CI did not run ('' outside a release)."""
    counts = hidden_counts(suites_dir)
    picked = [counts[i] for i in dict.fromkeys(exercise_ids) if i in counts]
    if not picked:
        return ""
    n, points = sum(c["checks"] for c in picked), sum(c["points"] for c in picked)
    return (f"Feedback mode: {n} hidden checks ({points} points) are not in this repository; "
            "your instructor runs them when grading.")


HIDDEN_FILE = "hidden.json"
