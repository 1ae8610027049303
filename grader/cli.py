"""`grade`: the command line, a thin layer over grader.api.

User mistakes become one line and exit 2, the grader's own failures exit 3; nothing else here
decides anything about grading.
"""

from __future__ import annotations

import functools
import os
import re
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from grader.errors import GraderError, UsageError
from grader.sandbox.limits import Limits
from grader.session import INTERRUPTED_EXIT, under  # noqa: F401 - under: part of the CLI's tested surface

DEFAULT_HTML = "grade-report.html"


class UserMistake(click.ClickException):
    exit_code = 2


class GraderFailure(click.ClickException):
    exit_code = 3


def _device_syntax(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Reject a misspelt device at once, before torch is even imported."""
    if not re.fullmatch(r"auto|cpu|cuda(:\d+)?", value.strip().lower()):
        raise UserMistake(f"--device {value}: expected auto, cpu, cuda or cuda:N")
    return value


def sandbox_options(fn: Callable) -> Callable:
    """Options that shape how submissions run; shared by every command that grades."""
    for option in reversed([
        click.option("--device", default="auto", show_default=True, callback=_device_syntax,
                     help="auto, cpu, cuda or cuda:N."),
        click.option("--seed", default=0, show_default=True, type=int, help="Base seed for inputs and student code."),
        click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1),
                     help="Seconds one call into student code may take."),
        click.option("--budget", default=120.0, show_default=True, type=click.FloatRange(1),
                     help="Seconds all calls of one submission may take together."),
        click.option("--memory", default=2048, show_default=True, type=click.IntRange(64),
                     help="MB of memory student code may allocate (CPU runs)."),
    ]):
        fn = option(fn)
    return fn


def _fail_under(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[float, bool] | None:
    """'20' -> (20, False) points; '80%' -> (80, True) percent of the maximum."""
    if value is None:
        return None
    text = value.strip()
    percent = text.endswith("%")
    try:
        number = float(text.removesuffix("%").strip())
    except ValueError:
        number = float("nan")
    if not (number >= 0) or number == float("inf") or (percent and number > 100):
        raise UserMistake(f"--fail-under {value}: expected points (like 20) or a percentage from 0% to 100% (like 80%)")
    return number, percent


def report_options(fn: Callable) -> Callable:
    for option in reversed([
        click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Write results as JSON here ('-' for stdout)."),
        click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_HTML,
                     show_default=True, help="Write the HTML report here."),
        click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write a gradebook CSV here (one row per submission)."),
        click.option("--gradescope", "gradescope_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write Gradescope's results.json here."),
        click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write JUnit XML here (GitLab, Jenkins): a test suite per exercise, a test case per check."),
        click.option("--markdown", "markdown_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write a Markdown summary here (the one GitHub Actions gets as the job summary)."),
        click.option("--fail-under", callback=_fail_under, metavar="POINTS|PERCENT",
                     help="Exit 1 only when the total is under this (e.g. 20 or 80%), 0 otherwise."),
        click.option("--lang", type=click.Choice(["auto", "en", "ja"]), default="auto", show_default=True,
                     help="Language of the reports (auto follows LANG; ja: 日本語)."),
        click.option("--hide-hidden", is_flag=True,
                     help="Student releases: hidden checks show only name, outcome and points."),
        click.option("--brief/--full", default=None,
                     help="One line per submission, or a table each (default: brief above 10 submissions)."),
        click.option("-v", "--verbose", is_flag=True,
                     help="Show where and how checks failed, hidden markers, student output and sandbox facts."),
        click.option("--ids", "show_ids", is_flag=True, help="Show each check's id in the tables (what -k matches)."),
    ]):
        fn = option(fn)
    return fn




def _stop(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def edge_errors(fn: Callable) -> Callable:
    """Turn the API's exceptions into one-line click errors with the documented exit codes."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for signum in (signal.SIGTERM, signal.SIGHUP):  # like Ctrl-C: in-flight sandboxes killed, reports written
            signal.signal(signum, _stop)
        try:
            return fn(*args, **kwargs)
        except UsageError as exc:
            raise UserMistake(str(exc)) from None
        except GraderError as exc:
            raise GraderFailure(f"the grader failed: {exc}") from None
        except KeyboardInterrupt:
            click.echo("grade: interrupted", err=True)
            sys.exit(INTERRUPTED_EXIT)
        except (click.ClickException, click.exceptions.Exit, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("GRADER_DEBUG"):
                traceback.print_exc()
            raise GraderFailure(f"internal error ({type(exc).__name__}: {exc}); "
                                "run with GRADER_DEBUG=1 for the traceback and report it") from None
    return wrapper


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, required=True)
@click.option("--exercise", "-e", help="Grade PATH as this exercise (01-05), whatever its name.")
@click.option("-k", "select", help="Run only the checks matching this pytest -k expression.")
@click.option("--bake", is_flag=True, help="Instructors: save the expected values computed while grading the "
              "reference, so a release without solutions/ can still be graded.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Class outputs here: index.html (dashboard), gradebook.csv, checks.csv, students/, gradescope/.")
@click.option("--force", is_flag=True, help="With --out: grade every submission again, even those already graded.")
@click.option("--roster", "roster_path", type=click.Path(dir_okay=False, path_type=Path),
              help="With --out: the class list (CSV with a 'student' column; optional name, email, lms_id): who handed "
                   "in nothing shows as missing, submissions of students not on it are flagged.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Grade this many submissions at once (one judge and warm sandbox process each).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Grade on a Dask cluster (e.g. tcp://10.0.0.5:8786) instead of here; needs grader[cluster].")
@sandbox_options
@report_options
@click.version_option(package_name="grader", prog_name="grade")
@edge_errors
def main(paths: tuple[str, ...], exercise: str | None, select: str | None, bake: bool, out_dir: Path | None,
         force: bool, roster_path: Path | None, jobs: int, scheduler: str | None, device: str,
         seed: int, timeout: float, budget: float, memory: int, json_path: Path | None, html_path: Path,
         csv_path: Path | None, gradescope_path: Path | None, junit_path: Path | None, markdown_path: Path | None,
         fail_under: tuple[float, bool] | None, lang: str, hide_hidden: bool, brief: bool | None, verbose: bool,
         show_ids: bool) -> None:
    """Grade PyTorch exercises: an exercise folder (exercises/05), a file, a folder of many, or an archive.

    Exit status: 0 all checks passed (with --fail-under: the total reached it), 1 not, 2 usage error,
    3 the grader failed, 130 interrupted. In GitHub Actions (GITHUB_ACTIONS set) failed checks become
    annotations at your file and line, and the job summary shows the points.
    """
    from grader import session

    grading = session.GradeOptions(
        paths=tuple(paths), exercise=exercise, select=select, bake=bake, out_dir=out_dir, force=force,
        roster=roster_path, jobs=jobs, scheduler=scheduler, device=device, seed=seed,
        limits=Limits(call_timeout_s=timeout, budget_s=budget, memory_mb=memory))
    reports = session.ReportOptions(
        json=json_path, html=html_path, csv=csv_path, gradescope=gradescope_path, junit=junit_path,
        markdown=markdown_path, fail_under=fail_under, lang=lang, hide_hidden=hide_hidden, brief=brief,
        verbose=verbose, ids=show_ids)
    sys.exit(session.run(grading, reports))


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--no-bake", is_flag=True, help="Do not bake expected values (students' grading then needs the reference).")
@click.option("--graded", is_flag=True, help="Graded mode: also carry the hidden checks, encrypted with the key in "
              "--key-file, for a CI workflow that holds it as the secret GRADER_KEY.")
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path),
              help="With --graded: the key to seal with; made there (mode 0600) when the file does not exist. "
                   "Keep it out of the release.")
@edge_errors
def release_main(out: Path, no_bake: bool, graded: bool, key_file: Path | None) -> None:
    """Instructors: write a student repository to OUT (a new or empty folder).

    exercises/ (specs and stubs), the grader with the visible checks only and a count of the hidden ones,
    expected values baked from solutions/, CI workflows for GitHub and GitLab, a README for students.
    No line of solutions/, tests/ or the hidden checks.
    """
    from grader.release.build import build
    from grader.release.graded import read_or_make_key

    if graded != (key_file is not None):
        raise UsageError("--graded and --key-file go together: the key seals the hidden checks")
    if graded and no_bake:
        raise UsageError("--graded needs the baked expected values: leave out --no-bake")
    key = read_or_make_key(key_file, out) if key_file is not None else None
    made = build(out, bake=not no_bake, key=key)
    hidden = made["hidden"]
    if key is not None:
        click.echo(f"release written to {out}: {made['files']} files, {made['bytes'] // 1024} KiB; "
                   f"{hidden['checks']} hidden checks ({hidden['points']} points) sealed with the key in {key_file}: "
                   "store it as the repository or organisation secret GRADER_KEY")
    else:
        click.echo(f"release written to {out}: {made['files']} files, {made['bytes'] // 1024} KiB; "
                   f"{hidden['checks']} hidden checks ({hidden['points']} points) left out")
