"""Small text helpers shared by the terminal and HTML reports."""

from __future__ import annotations

import re

from grader.results import CheckResult

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Student text without control characters: no escape sequences reach a terminal."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)


STYLES = {"passed": "green", "failed": "red", "error": "red", "timeout": "yellow", "crashed": "magenta", "skipped": "dim"}


def one_line(check: CheckResult, width: int = 160) -> str:
    """The reason in one line, with the student's line number when there is one."""
    text = printable(" ".join(check.message.split()))
    if check.frames:
        last = check.frames[-1]
        text += f" [{last['file']}:{last['line']}]"
    return text if len(text) <= width else text[: width - 1] + "…"
