"""Small text helpers shared by the terminal and HTML reports."""

from __future__ import annotations

from grader.results import CheckResult

STYLES = {"passed": "green", "failed": "red", "error": "red", "timeout": "yellow", "crashed": "magenta", "skipped": "dim"}


def one_line(check: CheckResult, width: int = 160) -> str:
    """The reason in one line, with the student's line number when there is one."""
    text = " ".join(check.message.split())
    if check.frames:
        last = check.frames[-1]
        text += f" [{last['file']}:{last['line']}]"
    return text if len(text) <= width else text[: width - 1] + "…"
