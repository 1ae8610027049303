"""Progress: a live bar on a terminal; in CI or a pipe, nothing but the lines already printed."""

from __future__ import annotations

import io

from rich.console import Console

from grader.report import progress


def test_a_terminal_gets_a_bar_with_done_total_and_eta(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    with progress.bar(console, 4, "grading") as bar:
        bar.advance()
        bar.update("grading class/alice (01_last_token)")
        bar._progress.refresh()
    text = out.getvalue()
    assert "1/4" in text and "class/alice" in text


def test_ci_logs_get_no_live_output(monkeypatch):
    monkeypatch.setenv("CI", "1")
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    with progress.bar(console, 4, "grading") as bar:
        bar.advance()
        bar.update("x")
    assert out.getvalue() == ""
