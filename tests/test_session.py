"""The run behind `grade`, as an API: typed options in, an exit status out, the same reports as the CLI writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader import session
from grader.errors import UsageError

REPO = Path(__file__).resolve().parent.parent


def test_a_run_through_the_api_writes_the_reports_and_returns_the_status(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code = session.run(session.GradeOptions(paths=("solutions/05_linear_loop",), device="cpu"),
                       session.ReportOptions(json=tmp_path / "r.json", html=tmp_path / "r.html", lang="ja"))
    assert code == 0
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["lang"] == "ja" and doc["total"]["score"] == doc["total"]["max_score"] > 0
    assert (tmp_path / "r.html").stat().st_size > 0


def test_the_api_raises_usage_errors_before_grading(tmp_path):
    with pytest.raises(UsageError, match="--roster needs --out"):
        session.run(session.GradeOptions(paths=("exercises/05",), roster=tmp_path / "r.csv"), session.ReportOptions())


def test_the_options_are_typed_and_frozen():
    options = session.GradeOptions(paths=("x",))
    with pytest.raises(AttributeError):
        options.jobs = 2  # type: ignore[misc]
    assert session.under(7, 10, (80.0, True)) and not session.under(8, 10, (80.0, True))
