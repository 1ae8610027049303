"""A Markdown summary as a pure function of the results: GitHub's job summary, or `--markdown PATH`.

Every piece of text from a submission is one line with its Markdown and HTML syntax escaped, so a
student's message cannot add links, images, HTML or table cells to the page.
"""

from __future__ import annotations

import re

from grader.report.text import one_line, printable
from grader.results import ExerciseResult

MAX_BYTES = 1_000_000  # GitHub refuses a step summary over 1 MiB; the rest of this one is cut with a note
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character may be backslash-escaped
_ICON = {"passed": "✅", "failed": "❌", "error": "💥", "timeout": "⏱️", "crashed": "💀", "skipped": "⏭️", "not_run": "⏸️"}


def escape(text: object) -> str:
    """One line of literal text: no Markdown, no HTML, no autolink, no table-cell break."""
    text = printable(text, one_line=True).encode("utf-8", "replace").decode("utf-8")  # lone surrogates too
    return _PUNCTUATION.sub(r"\\\1", text)


def _exercise(result: ExerciseResult) -> list[str]:
    lines = [f"### {'✅' if result.all_passed else '❌'} {escape(result.id)}: {result.score}/{result.max_score} points",
             "", f"{escape(result.label)} — {escape(result.title)}", ""]
    lost = [c for c in result.checks if c.outcome != "passed"]
    if not lost:
        return [*lines, f"All {len(result.checks)} checks passed.", ""]
    lines += ["| check | points | result | reason |", "|---|---|---|---|"]
    for c in lost:
        name = escape(c.name) + (" *(hidden)*" if c.visibility == "hidden" else "")
        lines.append(f"| {name} | {c.score}/{c.max_score} | {_ICON.get(c.outcome, '')} {escape(c.outcome)} "
                     f"| {escape(one_line(c, 300))} |")
    passed = len(result.checks) - len(lost)
    return [*lines, "", f"{passed} of {len(result.checks)} checks passed.", ""]


def summary(results: list[ExerciseResult], hidden_note: str = "") -> str:
    """The whole run: a total, then per exercise its points and the checks it lost with their reasons."""
    score, total = sum(r.score for r in results), sum(r.max_score for r in results)
    lines = [f"## grade: {score}/{total} points", ""]
    if len(results) > 1:
        lines += ["| exercise | submission | points |", "|---|---|---|"]
        lines += [f"| {escape(r.id)} | {escape(r.label)} | {r.score}/{r.max_score} |" for r in results]
        lines.append("")
    if hidden_note:
        lines += [escape(hidden_note), ""]
    for r in results:
        lines += _exercise(r)
    text = "\n".join(lines)
    if len(text.encode("utf-8")) > MAX_BYTES:
        cut = text.encode("utf-8")[: MAX_BYTES - 200].decode("utf-8", "ignore").rsplit("\n", 1)[0]
        text = cut + "\n\n*(summary cut here: see the JUnit or JSON report for every check)*"
    return text + "\n"
