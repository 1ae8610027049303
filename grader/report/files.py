"""Report files: checked before grading starts, each written on its own so one failing loses no other."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.errors import UsageError
from grader.results import ExerciseResult, json_safe, run_as_dict, safe_result


def check_writable(path: Path) -> None:
    """UsageError unless a report can be written at `path`: its folder exists or can be made, and takes files."""
    if str(path) == "-":
        return
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a folder; give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".grade-probe-"):
            pass
        if path.exists() and not os.access(path, os.W_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}; choose another path") from None


def _write(path: Path, text: str) -> str:
    if str(path) == "-":
        sys.stdout.write(text + "\n")
        return "-"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def write_reports(results: list[ExerciseResult], facts: dict[str, Any], outputs: dict[str, Path | None],
                  lang: str = "en", note: str = "") -> tuple[list[str], list[str]]:
    """Write every report asked for; returns (paths written, one line per report that failed).

    `note`: a line for the Markdown summary (a student release's count of hidden checks).
    """
    from grader.report import export, html, junit, markdown

    results = [safe_result(r, lang) for r in results]  # one submission's odd data cannot break a writer
    facts = json_safe(facts)
    makers: dict[str, Callable[[], str]] = {
        "html": lambda: html.render(results, facts, lang),
        "json": lambda: json.dumps(run_as_dict(results, facts, lang), indent=2, ensure_ascii=False),
        "csv": lambda: export.gradebook_csv(results),
        "gradescope": lambda: json.dumps(export.gradescope(results), indent=2, ensure_ascii=False),
        "junit": lambda: junit.junit_xml(results),
        "markdown": lambda: markdown.summary(results, note),
    }
    written, failed = [], []
    for kind, make in makers.items():
        path = outputs.get(kind)
        if path is None:
            continue
        try:
            out = _write(path, make())
            if out != "-":
                written.append(out)
        except Exception as exc:  # the others are still written
            failed.append(f"{kind} report {path}: {type(exc).__name__}: {exc}")
    return written, failed
