"""Small text helpers shared by the reports; `printable` is the one sanitiser every writer uses."""

from __future__ import annotations

import re

from grader.results import CheckResult

# C0 and C1 controls, DEL, bidi overrides and isolates, line/paragraph separators: nothing that can move
# the cursor, redraw a terminal, reorder what is shown or start a new line where one line is promised.
_UNSAFE = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{_UNSAFE}]")
_CONTROL_OR_NEWLINE = re.compile(f"[{_UNSAFE}\\n\\t]")


def printable(text: object, one_line: bool = False) -> str:
    """Text from a submission, safe to show: control characters (ESC, CR, bidi overrides) become U+FFFD.

    `one_line`: newlines and tabs too, for labels, names and table cells.
    """
    text = text if isinstance(text, str) else str(text)
    return (_CONTROL_OR_NEWLINE if one_line else _CONTROL).sub("\N{REPLACEMENT CHARACTER}", text)


def place(frame: dict) -> str:
    """Where a frame is: `swish.py:12`, or in a notebook `swish.ipynb, cell [3], line 2` (not yet made printable)."""
    file, line = frame.get("file", "?"), frame.get("line", "?")
    return f"{file}, cell [{frame['cell']}], line {line}" if frame.get("cell") else f"{file}:{line}"


STYLES = {"passed": "green", "failed": "red", "error": "red", "timeout": "yellow", "crashed": "magenta", "skipped": "dim", "not_run": "dim"}


def one_line(check: CheckResult, width: int | None = None) -> str:
    """The reason in one line, with the student's line number when there is one (cut to `width` if given)."""
    text = " ".join(printable(check.message).split())
    if check.frames:
        last = check.frames[-1]
        text += printable(f" [{place(last)}]", one_line=True)
    return text if width is None or len(text) <= width else text[: width - 1] + "…"
