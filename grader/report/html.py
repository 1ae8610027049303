"""The HTML report: one self-contained file (inline CSS, no scripts, nothing fetched to view it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
import markupsafe

from grader.report.i18n import detail_label, exercise_title, words
from grader.report.text import place, printable
from grader.results import ExerciseResult


def _finalize(value: Any) -> Any:
    """Every {{ }} of the template goes through the one sanitiser before jinja escapes it."""
    if isinstance(value, markupsafe.Markup) or not isinstance(value, str):
        return value
    return printable(value)


_ENV = jinja2.Environment(
    finalize=_finalize,
    loader=jinja2.PackageLoader("grader.report", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    trim_blocks=True, lstrip_blocks=True,
)


def pretty(value: Any) -> str:
    """Numbers as a person reads them: 6 significant digits, indices as [i, j]."""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        return "[" + ", ".join(pretty(v) for v in value) + "]"
    return str(value)


_ENV.filters["pretty"] = pretty
_ENV.filters["label"] = detail_label
_ENV.filters["place"] = place


def render(results: list[ExerciseResult], facts: dict[str, Any], lang: str = "en") -> str:
    return _ENV.get_template("report.html.j2").render(
        results=results, facts=facts, w=words(lang), lang=lang,
        titles={r.id: exercise_title(r.id, r.title, lang) for r in results},
        total=sum(r.score for r in results), max_total=sum(r.max_score for r in results),
        created=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    )
