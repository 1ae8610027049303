"""Progress of a class run: a live bar (done/total, rate, ETA) on a terminal; nothing live in CI logs.

In CI (CI set) or when output is not a terminal, each finished submission already prints its one
line (see cli's brief mode), so the bar stays away and logs read as plain lines.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class _Rate(ProgressColumn):
    """Submissions per second, once there is a rate to show."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.2f}/s" if task.speed else "–/s")


class _Bar:
    def __init__(self, progress: Progress | None, task: int | None) -> None:
        self._progress, self._task = progress, task

    def update(self, text: str) -> None:
        """The current submission and check, shown next to the bar."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, description=text[:60])  # type: ignore[arg-type]

    def advance(self) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task)  # type: ignore[arg-type]


def live(console: Console) -> bool:
    return console.is_terminal and not os.environ.get("CI")


@contextmanager
def bar(console: Console, total: int, text: str) -> Iterator[_Bar]:
    """A bar on a terminal, a silent stand-in elsewhere; both take update(text) and advance()."""
    if not live(console):
        yield _Bar(None, None)
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
               _Rate(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        yield _Bar(progress, progress.add_task(text, total=total))
