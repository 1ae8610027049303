"""GitHub Actions workflow commands as pure functions: `::error` annotations at the student's own line.

Escaping as GitHub documents it for workflow commands: in the message %, CR and LF; in a property
value also ':' and ','. Text from a submission is made one printable line first.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from grader.report.text import one_line, printable
from grader.results import CheckResult, ExerciseResult

MAX_ANNOTATIONS = 50  # GitHub shows at most 10 errors per step and 50 per job; more is noise in the log


def _line(value: object) -> str:
    return printable(value, one_line=True).encode("utf-8", "replace").decode("utf-8")


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    """One workflow command line, e.g. `::error file=a.py,line=3,title=T::message`."""
    props = ",".join(f"{k}={escape_property(_line(v))}" for k, v in properties.items() if v is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(_line(message))}"


def _location(check: CheckResult, files: Mapping[str, str]) -> tuple[str | None, int | None]:
    """The last frame in one of the student's files, as (path from the repository root, line)."""
    for frame in reversed(check.frames):
        path = files.get(str(frame.get("file", "")))
        line = frame.get("line")
        if path and isinstance(line, int) and not isinstance(line, bool) and line > 0:
            return path, line
    return None, None


def error_annotations(results: list[ExerciseResult], sources: Mapping[str, Mapping[str, str]]) -> list[str]:
    """An `::error` per check that did not pass (skipped ones aside).

    `sources`: per submission label, the submission's file names (as frames name them) mapped to paths
    from the repository root; a check with no frame in such a file is annotated without a location.
    """
    out = []
    for r in results:
        for c in r.checks:
            if c.outcome in ("passed", "skipped", "not_run"):  # not_run: its cause is annotated once
                continue
            path, line = _location(c, sources.get(r.label, {}))
            out.append(command("error", one_line(c, 1000), file=path, line=line,
                               title=f"{r.id} {c.id} ({c.score}/{c.max_score} points): {c.name}"))
    if len(out) > MAX_ANNOTATIONS:
        out = out[:MAX_ANNOTATIONS] + [command("warning", f"{len(out) - MAX_ANNOTATIONS} more failed checks are "
                                                          "not annotated; see the job summary or the reports")]
    return out


def stop_token() -> str:
    """A fresh token for `::stop-commands::`: while it holds, nothing a submission prints is a command."""
    return secrets.token_hex(16)
