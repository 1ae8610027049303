"""One run of `grade`, as an API: the options as two typed objects, then discover, grade, print, report.

The command line (grader.cli) only parses options into `GradeOptions` and `ReportOptions` and calls
`run`; everything here raises the API's errors (UsageError, GraderError, KeyboardInterrupt), which the
command line turns into exit statuses at its edge.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import discovery
from grader.errors import GraderError, UsageError
from grader.roster import read as read_roster
from grader.sandbox.judge_side.warm import WarmProcess
from grader.sandbox.limits import Limits

INTERRUPTED_EXIT = 130  # the shell's 128 + SIGINT: the run was stopped, reports hold what finished


@dataclass(frozen=True)
class GradeOptions:
    """What is graded and how: the paths, the checks, the machine, the limits, the class outputs."""

    paths: tuple[str, ...]
    exercise: str | None = None          # grade every path as this exercise (-e)
    select: str | None = None            # a pytest -k expression (-k)
    bake: bool = False                   # save the expected values computed from the reference
    out_dir: Path | None = None          # class outputs (dashboard, gradebook, students/, cache)
    force: bool = False                  # with out_dir: regrade what the cache holds
    roster: Path | None = None           # with out_dir: the class list
    jobs: int = 1                        # judges side by side on this machine
    scheduler: str | None = None         # a Dask scheduler's address: grade there instead
    device: str = "auto"
    seed: int = 0
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class ReportOptions:
    """What is shown and written: report files, language, what hidden checks show, terminal detail."""

    json: Path | None = None
    html: Path | None = None
    csv: Path | None = None
    gradescope: Path | None = None
    junit: Path | None = None
    markdown: Path | None = None
    fail_under: tuple[float, bool] | None = None  # (points or percent, is percent): the exit status a course gates on
    lang: str = "auto"
    hide_hidden: bool = False
    brief: bool | None = None            # one line per submission; None: above 10 submissions
    verbose: bool = False
    ids: bool = False


def under(score: int, max_score: int, threshold: tuple[float, bool]) -> bool:
    number, percent = threshold
    if percent:
        return score * 100 < number * max_score  # exact in integers for whole percentages; 0/0 is never under
    return score < number


def run(grading: GradeOptions, reports: ReportOptions) -> int:
    """Grade, print as results arrive, write every report; returns the exit status (0, 1 or 130)."""
    from grader.report.files import check_writable

    paths, exercise, select, bake, out_dir = grading.paths, grading.exercise, grading.select, grading.bake, grading.out_dir
    jobs, scheduler, roster_path = grading.jobs, grading.scheduler, grading.roster
    outputs: dict[str, Path | None] = {"json": reports.json, "html": reports.html, "csv": reports.csv,
                                       "gradescope": reports.gradescope, "junit": reports.junit,
                                       "markdown": reports.markdown}
    for path in outputs.values():
        if path is not None:
            check_writable(path)
    if out_dir is not None:
        check_writable(out_dir / "index.html")
    if roster_path is not None and out_dir is None:
        raise UsageError("--roster needs --out DIR: the roster shapes the class gradebook written there")
    roster = None if roster_path is None else read_roster(roster_path)
    from grader.release import graded

    unlocked = graded.unlock_from_env()  # before any process starts: none may inherit the key
    submissions = discovery.resolve_all(list(paths), exercise)
    jobs = 1 if bake else jobs
    warmups = tuple(sorted({w for s in submissions if s.exercise and not s.problem for w in s.exercise.warmups}))
    # imports torch for the sandbox while this process does too; with --out most results may come from
    # the cache, and a Grader starts its own warm process only when something is left to grade
    warm = WarmProcess(warmups) if jobs == 1 and out_dir is None and not scheduler else None
    options: dict[str, Any] = {"device": grading.device, "seed": grading.seed, "select": select, "warmups": warmups,
                               "limits": grading.limits}
    if warm:
        options["warm"] = warm
    options["redact"] = reports.hide_hidden
    options["show_ids"] = reports.ids
    outputs["out"] = out_dir  # a folder: written by grader.report.classout, not by write_reports
    options["roots"] = list(paths)
    if scheduler:
        options["scheduler"] = scheduler
    options["people"] = {"roster": roster, "owners": {s.label: (s.student, s.lms_id) for s in submissions if s.student}}
    options["cache_dir"], options["force"] = (out_dir / ".cache" if out_dir and not bake else None), grading.force
    try:
        brief = len(submissions) > 10 if reports.brief is None else reports.brief
        code = _grade(submissions, options, jobs, bake, brief, reports.verbose, outputs, reports.lang, reports.fail_under)
    finally:
        if warm:
            warm.close()
        if unlocked:
            unlocked.lock()
    return code


def _grade(submissions: list, options: dict[str, Any], jobs: int, bake: bool, brief: bool, verbose: bool,
           outputs: dict[str, Path | None], lang: str, fail_under: tuple[float, bool] | None = None) -> int:
    """Grade, print as results arrive, write the reports; returns the exit status."""
    from grader.report import actions

    console_stream = sys.stderr if outputs["json"] == Path("-") else sys.stdout
    github = actions.GitHubRun(lambda line: print(line, file=console_stream, flush=True)) if actions.active() else None
    if github is None:
        return _grade_and_report(submissions, options, jobs, bake, brief, verbose, outputs, lang, fail_under, None)
    github.start()
    try:
        return _grade_and_report(submissions, options, jobs, bake, brief, verbose, outputs, lang, fail_under, github)
    finally:
        github.resume()  # whatever happened, the rest of the job's log reads commands again


def _grade_and_report(submissions: list, options: dict[str, Any], jobs: int, bake: bool, brief: bool, verbose: bool,
                      outputs: dict[str, Path | None], lang: str, fail_under: tuple[float, bool] | None,
                      github: Any) -> int:
    from rich.text import Text

    from grader import release
    from grader.api import (  # torch loads here, once arguments are sane
        check_ids,
        resolve_device,
        run_facts,
    )
    from grader.classrun import grade_class
    from grader.errors import Interrupted
    from grader.report import files, i18n, progress, terminal
    from grader.results import redact_hidden

    lang = i18n.pick_language(lang)
    w = i18n.words(lang)
    console = terminal.make_console(stderr=outputs["json"] == Path("-"))
    options["device"] = resolve_device(options["device"])
    redact = redact_hidden if options.pop("redact") else (lambda result: result)
    show_ids = options.pop("show_ids", False)
    roots = options.pop("roots")
    people = options.pop("people", {})
    out_dir = outputs.pop("out", None)
    n = len(submissions)
    finished: list[int] = []
    interrupted = False
    with progress.bar(console, n, f"{w['grading']} …") as status:
        def show(i: int, result: Any) -> None:
            finished.append(i)
            status.advance()
            result = redact(result)
            if not result.checks:  # nothing of this exercise matched -k
                return
            if brief:
                terminal.print_line(console, result, lang)
            else:
                terminal.print_exercise(console, result, verbose, lang, show_ids)

        def tick(i: int, done: int, total: int) -> None:
            sub = submissions[i]
            status.update(terminal.printable(f"{w['grading']} {sub.label} ({sub.exercise.id if sub.exercise else '?'}) "
                                             f"[{i + 1}/{n}]: {done}/{total} {w['checks']} …", one_line=True))

        try:
            graded = grade_class(submissions, jobs=jobs, on_result=show, on_check=tick, bake=bake, **options)
        except Interrupted as stop:
            graded, interrupted = stop.results, True
        results = [redact(r) for r in graded]
    if options["select"] and not interrupted and not any(r.checks for r in results):
        raise UsageError(f"-k {options['select']!r} matches no check; the check ids are: " + "; ".join(
            f"{ex.id}: {', '.join(check_ids(ex))}" for ex in sorted({s.exercise for s in submissions if s.exercise},
                                                                     key=lambda e: e.id)))
    facts = run_facts(options["device"], options["seed"], options["limits"])
    note = release.hidden_note([r.id for r in results])  # in a student release: the hidden checks it lacks
    written, failed = files.write_reports(results, facts, outputs, lang, note)
    if github is not None:
        from grader.report.locate import source_files

        github.resume()
        failed += github.finish(results, {s.label: source_files(s) for s in submissions}, note, lang)
        github.start()  # the lines below still print submission labels
    if out_dir is not None:
        from grader.report import classout
        try:
            written.append(classout.write_class(out_dir, results, roots, facts, lang, **people)[-1])
        except OSError as exc:
            failed.append(f"class outputs {out_dir}: {exc}")
    if bake and not interrupted:
        written += sorted({str(s.exercise.baked_file) for s in submissions if s.exercise and s.exercise.baked_file.is_file()})
    terminal.print_total(console, results, written, lang)
    if note:
        console.print(Text(note))
    if interrupted:
        console.print(Text(f"interrupted: {len(finished)} of {n} submissions graded; the others are reported as not graded"))
        return INTERRUPTED_EXIT
    if failed:
        raise GraderError("could not write " + "; ".join(failed))
    if any(r.grader_error for r in results):
        raise GraderError("some checks failed inside the grader itself; see the report")
    if fail_under is not None:
        return 1 if under(sum(r.score for r in results), sum(r.max_score for r in results), fail_under) else 0
    return 0 if all(r.all_passed for r in results) else 1


