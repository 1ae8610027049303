"""A run inside GitHub Actions: commands off while submissions' text is printed, then annotations and a summary.

`::stop-commands::` with a fresh token comes first, so no line a submission makes the log show (a message,
its output with -v) is read as a workflow command; the token resumes them for the grader's own annotations.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from grader.report import github, markdown
from grader.results import ExerciseResult, safe_result


def active(env: Mapping[str, str] | None = None) -> bool:
    value = (os.environ if env is None else env).get("GITHUB_ACTIONS", "")
    return value.strip().lower() not in ("", "0", "false")


class GitHubRun:
    def __init__(self, write: Callable[[str], None], env: Mapping[str, str] | None = None):
        self.write = write
        self.env = os.environ if env is None else env
        self.token = github.stop_token()

    def start(self) -> None:
        self.write(f"::stop-commands::{self.token}")

    def resume(self) -> None:
        self.write(f"::{self.token}::")

    def finish(self, results: list[ExerciseResult], sources: Mapping[str, Mapping[str, str]],
               hidden_note: str = "", lang: str = "en") -> list[str]:
        """Annotations to the log, the summary to $GITHUB_STEP_SUMMARY; returns what could not be written."""
        results = [safe_result(r, lang) for r in results]
        for line in github.error_annotations(results, sources):
            self.write(line)
        path = self.env.get("GITHUB_STEP_SUMMARY")
        if not path:
            return []
        try:
            with Path(path).open("a", encoding="utf-8") as fh:  # GitHub's summary file is appended to, step by step
                fh.write(markdown.summary(results, hidden_note))
        except Exception as exc:
            return [f"GitHub step summary {path}: {type(exc).__name__}: {exc}"]
        return []
