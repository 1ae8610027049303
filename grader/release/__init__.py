"""What goes into a student repository: CI workflow templates (and `grade-release`, which writes one)."""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
WORKFLOWS = {".github/workflows/grade.yml": TEMPLATES / ".github" / "workflows" / "grade.yml",
             ".gitlab-ci.yml": TEMPLATES / ".gitlab-ci.yml"}
