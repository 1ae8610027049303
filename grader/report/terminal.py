"""The terminal report: a table per exercise and a total; colour on a terminal, plain in logs and CI."""

from __future__ import annotations

import os

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.report.i18n import exercise_title, words
from grader.report.text import STYLES, one_line, place, printable
from grader.results import CheckResult, ExerciseResult, localize


def make_console(stderr: bool = False) -> Console:
    """Colour on a terminal; plain text in CI logs, pipes and files (wide, so reasons are not cut)."""
    plain = bool(os.environ.get("CI")) or bool(os.environ.get("NO_COLOR"))
    console = Console(stderr=stderr, highlight=False, no_color=plain, emoji=False, force_terminal=False if plain else None)
    if not console.is_terminal:
        console.width = 140
    return console


def exercise_table(result: ExerciseResult, verbose: bool = False, lang: str = "en", ids: bool = False) -> Table:
    """One row per check; the reason in full, wrapped (`ids`: a column of check ids, for -k)."""
    result = localize(result, lang)
    w = words(lang)
    title = f"{result.id} — {exercise_title(result.id, result.title, lang)}   ({result.label})"
    table = Table(title=Text(printable(title, one_line=True)),
                  title_justify="left",
                  box=box.SIMPLE_HEAD, show_lines=False, expand=False)
    if ids:
        table.add_column(w["check_id"], overflow="fold", max_width=32)
    table.add_column(w["check"], max_width=40, overflow="fold")  # fold: Japanese has no spaces to wrap at
    table.add_column(w["pts"], justify="right", no_wrap=True)
    table.add_column(w["result"], no_wrap=True)
    table.add_column(w["reason"], overflow="fold", ratio=1)
    for c in result.checks:
        name = c.name + (f" ({w['hidden']})" if c.visibility == "hidden" and verbose else "")
        cells = [Text(printable(c.id, one_line=True))] if ids else []
        table.add_row(*cells, Text(printable(name, one_line=True)), f"{c.score}/{c.max_score}",  # Text: student text is never read as markup
                      Text(w.get(c.outcome, c.outcome.upper()), style=STYLES.get(c.outcome, "")),
                      Text(one_line(c) if c.outcome != "passed" else ""))
    return table


def print_exercise(console: Console, result: ExerciseResult, verbose: bool = False, lang: str = "en",
                   ids: bool = False) -> None:
    result = localize(result, lang)
    w = words(lang)
    console.print(exercise_table(result, verbose, lang, ids))
    style = "bold green" if result.all_passed else "bold red"
    console.print(Text(printable(f"  {result.id}: {result.score}/{result.max_score} {w['points']}", one_line=True), style=style))
    if verbose:
        for c in result.checks:
            if c.outcome != "passed":
                print_details(console, c)
            for stream in ("stdout", "stderr"):
                if c.output.get(stream):
                    console.print(Text(printable(f"  [{c.id} {stream}] ", one_line=True), style="dim")
                                  + Text(printable(str(c.output[stream]).rstrip()[:2000])))
        missing = result.facts.get("sandbox", {}).get("not_enforced", [])
        if missing:
            console.print(Text(printable(f"  {w['not_enforced']}: " + "; ".join(map(str, missing)), one_line=True),
                               style="yellow"))
    console.print()


def print_details(console: Console, check: CheckResult) -> None:
    """-v: where in the student's code, and the mismatch details (shape, dtype, largest error …)."""
    for f in check.frames[-5:]:
        where = f"{place(f)} in {f.get('function', '?')}: {f.get('code', '')}"
        console.print(Text(printable(f"  [{check.id}] ", one_line=True), style="dim") + Text(printable(where, one_line=True)))
    for key, value in check.details.items():
        console.print(Text(printable(f"  [{check.id}] {key}: ", one_line=True), style="dim")
                      + Text(printable(str(value)[:2000])))


def print_line(console: Console, result: ExerciseResult, lang: str = "en") -> None:
    """One line per submission, for classes: score, and the ids of the checks it lost."""
    result = localize(result, lang)
    w = words(lang)
    lost = [c.id for c in result.checks if c.outcome != "passed"]
    line = Text(printable(f"{result.label}  {result.id}  ", one_line=True))
    line.append(f"{result.score}/{result.max_score} {w['points']}", style="bold green" if not lost else "bold red")
    if result.problem:
        line.append(printable(f"  {w['error']}: {result.problem}", one_line=True), style="dim")
    elif lost:
        line.append(printable(f"  {w['failed']}: " + ", ".join(lost), one_line=True), style="dim")
    console.print(line)


def print_total(console: Console, results: list[ExerciseResult], report_paths: list[str], lang: str = "en") -> None:
    w = words(lang)
    score, total = sum(r.score for r in results), sum(r.max_score for r in results)
    ok = all(r.all_passed for r in results)
    if len(results) > 1:
        over = w["over"].format(n=len(results))
        console.print(Text(f"{w['total']}: {score}/{total} {w['points']} {over}", style="bold green" if ok else "bold red"))
    for path in report_paths:
        console.print(Text(printable(f"{w['report']}: {path}", one_line=True)))
