"""The Python API the CLI is a thin layer over: a warm Grader that grades submissions one by one.

    with Grader(device="cpu") as g:
        for sub in discovery.resolve("submissions/"):
            result = g.grade(sub)
"""

from __future__ import annotations

import ctypes
import functools
import importlib
import importlib.util
import os
import platform
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import torch

from grader import __version__, catalog, results, warmup
from grader.catalog import Exercise
from grader.discovery import Handin
from grader.errors import GraderError, Interrupted, UsageError
from grader.i18n import Text, _
from grader.judge.expected import ExpectedStore, fingerprint
from grader.judge.plugin import GradePlugin
from grader.judge.runner import run_checks
from grader.sandbox.judge_side.client import Sandbox
from grader.sandbox.judge_side.warm import WarmProcess
from grader.sandbox.limits import Limits


def resolve_device(requested: str) -> str:
    """'auto' picks CUDA when present; asking for CUDA on a machine without it is the user's error."""
    requested = requested.strip().lower()
    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if requested == "cpu":
        return "cpu"
    if requested.startswith("cuda"):
        if not torch.cuda.is_available():
            raise UsageError(f"--device {requested}: this machine has no usable CUDA GPU; use --device cpu")
        index = requested.partition(":")[2]
        if index and (not index.isdigit() or int(index) >= torch.cuda.device_count()):
            raise UsageError(f"--device {requested}: this machine has {torch.cuda.device_count()} CUDA device(s)")
        return requested
    raise UsageError(f"--device {requested}: expected auto, cpu, cuda or cuda:N")


def run_facts(device: str, seed: int, limits: Limits) -> dict[str, Any]:
    """What a report says about the run as a whole."""
    return {"grader": __version__, "torch": torch.__version__, "python": platform.python_version(),
            "device": device, "seed": seed, "call_timeout_s": limits.call_timeout_s, "budget_s": limits.budget_s}


def _baked_from(exercise: Exercise) -> dict[str, str]:
    return fingerprint(exercise.reference_file, exercise.suite_dir / "probes.py")


_REFERENCES: dict[str, ModuleType | None] = {}
_MAX_POINTS: dict[str, int] = {}


def max_points(exercise: Exercise) -> int:
    """All the points of an exercise's checks, so a submission that could not be graded still counts them."""
    if exercise.id not in _MAX_POINTS:
        from grader.judge.check import info_of

        module = importlib.import_module(f"{exercise.suite_package}.checks")
        infos = [info_of(getattr(module, name)) for name in dir(module) if name.startswith("check_")]
        _MAX_POINTS[exercise.id] = sum(info.points for info in infos if info is not None)
    return _MAX_POINTS[exercise.id]


def check_ids(exercise: Exercise) -> list[str]:
    """The ids of an exercise's checks, in their file's order (what -k matches against)."""
    module = importlib.import_module(f"{exercise.suite_package}.checks")
    return [name.removeprefix("check_") for name in vars(module) if name.startswith("check_")
            and callable(getattr(module, name))]


def problem_result(submission: Handin, message: Text, grader_error: bool = False) -> results.ExerciseResult:
    """The result of a submission that was not graded: an error with the reason, 0 of the exercise's points.

    `grader_error`: the grader's fault, not the submission's (the run then exits 3).
    """
    ex = submission.exercise
    if ex is None:
        result = results.problem_result("unknown", "Unknown exercise", submission.label, message, 0)
    else:
        result = results.problem_result(ex.id, ex.title, submission.label, message, max_points(ex), ex.number)
    result.checks[0].grader_error = grader_error
    return result


INTERRUPTED_MESSAGE, POOL_DIED_MESSAGE = results.INTERRUPTED_MESSAGE, results.POOL_DIED_MESSAGE


def load_reference(exercise: Exercise) -> ModuleType | None:
    """The reference solution, imported once into the judge (never into the sandbox)."""
    if exercise.id not in _REFERENCES:
        path = exercise.reference_file
        module = None
        if path.is_file():
            spec = importlib.util.spec_from_file_location(f"_reference_{exercise.id}", path)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        _REFERENCES[exercise.id] = module
    return _REFERENCES[exercise.id]


@dataclass
class Grader:
    """Holds the warm sandbox process; grade() many submissions with torch imported once."""

    device: str = "auto"
    seed: int = 0
    limits: Limits = field(default_factory=Limits)
    select: str | None = None   # a pytest -k expression, to run some checks only
    warm: WarmProcess | None = None  # pass one started early to overlap its start with this import
    warmups: tuple[str, ...] = ()    # for a warm process of its own: slow first uses to pay up front

    def __post_init__(self) -> None:
        self.device = resolve_device(self.device)
        self._warm = self.warm or WarmProcess(self.warmups)
        self._expected: dict[str, ExpectedStore] = {}
        self._warmed: set[str] = set()

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._warm.close()

    @property
    def warm_pid(self) -> int:
        return self._warm.pid

    def facts(self) -> dict[str, Any]:
        return run_facts(self.device, self.seed, self.limits)

    def expected(self, exercise: Exercise) -> ExpectedStore:
        """The exercise's expected values: baked ones if there are, then whatever the reference adds."""
        if exercise.id not in self._expected:
            baked, store = exercise.baked_file, ExpectedStore()
            if baked.is_file():
                try:
                    store = ExpectedStore.load(baked)
                except (OSError, ValueError) as exc:
                    raise GraderError(f"cannot read {baked}: {exc}; bake it again with `grade solutions/ --bake`") from None
                if store.stale(_baked_from(exercise)):
                    store = ExpectedStore()  # the reference or the probes changed since: recompute
            self._expected[exercise.id] = store
        return self._expected[exercise.id]

    def bake(self) -> list[Path]:
        """Write every expected value computed so far next to its exercise's checks."""
        by_id = {ex.id: ex for ex in catalog.EXERCISES}
        return [store.save(by_id[ex_id].baked_file, _baked_from(by_id[ex_id]))
                for ex_id, store in self._expected.items() if len(store)]

    def grade(self, submission: Handin, progress: Callable[[int, int], None] | None = None) -> results.ExerciseResult:
        """Grade one submission in a fresh sandbox; `progress(done, total)` is called after each check.

        A submission discovery could not read (`submission.problem`) is not run: its result is that error.
        """
        ex = submission.exercise
        if submission.problem or ex is None:
            return problem_result(submission, submission.problem or _("cannot tell which exercise this is"))
        start = time.monotonic()
        warmup.run([w for w in ex.warmups if w not in self._warmed])  # while the warm process may still start
        self._warmed.update(ex.warmups)
        try:
            self._warm.wait_ready()
        except RuntimeError as exc:
            raise GraderError(str(exc)) from None
        sandbox = Sandbox(self._warm, submission.files, ex.module, self.device, self.limits, self.seed,
                          submission.shown_as, submission.cells)
        try:
            plugin = GradePlugin(sandbox, load_reference(ex), self.device, self.seed, submission.source, self.expected(ex),
                                 progress)
            checks = results.from_json_report(run_checks(ex, plugin, self.select))
            if sandbox.import_failure() is not None:  # one cause, one row
                checks = results.import_failed_once(checks, sandbox.shown_as.get(ex.entry, ex.entry))
        finally:
            sandbox.close()
        facts = dict(self.facts(), duration_s=round(time.monotonic() - start, 3),
                     sandbox_time_s=round(sandbox.used_s, 3), sandbox=sandbox.facts)
        return results.ExerciseResult(ex.id, ex.title, submission.label, checks, facts)


_WORKER_GRADER: Grader | None = None


def _die_with_parent(parent_pid: int) -> None:
    """SIGKILL this process when the grader that started it dies, however it dies (Linux)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent_pid:  # it died before the line above
            os._exit(1)


def _start_worker(options: dict[str, Any], parent_pid: int) -> None:
    global _WORKER_GRADER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    _die_with_parent(parent_pid)
    _WORKER_GRADER = Grader(**options)


def _grade_in_worker(submission: Handin) -> results.ExerciseResult:
    assert _WORKER_GRADER is not None
    return _WORKER_GRADER.grade(submission)


def _finish(submissions: list[Handin], out: list[results.ExerciseResult | None]) -> list[results.ExerciseResult]:
    """Every submission accounted for: those without a result are listed as not graded."""
    return [r if r is not None else problem_result(s, INTERRUPTED_MESSAGE) for s, r in zip(submissions, out)]


def grade_all(submissions: list[Handin], jobs: int = 1,
              on_result: Callable[[int, results.ExerciseResult], None] | None = None,
              on_check: Callable[[int, int, int], None] | None = None, bake: bool = False,
              scheduler: str | None = None, **options: Any) -> list[results.ExerciseResult]:
    """Grade many submissions; with jobs > 1, in that many judge processes, each with its own warm sandbox.

    `scheduler`: the address of a Dask scheduler; its workers grade instead (grader.dask_executor).

    Results come back in the order of `submissions`; `on_result(index, result)` is called as each finishes,
    and, with one job, `on_check(index, checks_done, checks_total)` as each check does. `bake` writes
    the expected values computed on the way next to each exercise's checks (one job only).
    On KeyboardInterrupt, in-flight sandboxes are killed and Interrupted carries every result, the
    unfinished ones marked as not graded.
    """
    out: list[results.ExerciseResult | None] = [None] * len(submissions)

    def done(i: int, result: results.ExerciseResult) -> None:
        out[i] = result
        if on_result:
            on_result(i, result)

    todo = []
    for i, sub in enumerate(submissions):
        if sub.problem or sub.exercise is None:
            done(i, problem_result(sub, sub.problem or _("cannot tell which exercise this is")))
        else:
            todo.append(i)
    try:
        if scheduler and todo and not bake:
            from grader import dask_executor

            dask_executor.grade(submissions, todo, done, scheduler, options,
                                lambda sub: problem_result(sub, POOL_DIED_MESSAGE, grader_error=True))
        elif jobs <= 1 or len(todo) <= 1 or bake:
            _grade_here(submissions, todo, done, on_check, bake, options)
        else:
            _grade_in_pool(submissions, todo, done, jobs, options)
    except KeyboardInterrupt:
        raise Interrupted(_finish(submissions, out)) from None
    return _finish(submissions, out)


def _grade_here(submissions: list[Handin], todo: list[int], done: Callable[[int, results.ExerciseResult], None],
                on_check: Callable[[int, int, int], None] | None, bake: bool, options: dict[str, Any]) -> None:
    with Grader(**options) as grader:
        for i in todo:
            progress = None
            if on_check is not None:
                progress = functools.partial(on_check, i)
            done(i, grader.grade(submissions[i], progress))
        if bake:
            grader.bake()


def _grade_in_pool(submissions: list[Handin], todo: list[int], on_done: Callable[[int, results.ExerciseResult], None],
                   jobs: int, options: dict[str, Any]) -> None:
    import concurrent.futures as cf
    import multiprocessing

    options = {k: v for k, v in options.items() if k != "warm"}
    pool = cf.ProcessPoolExecutor(min(jobs, len(todo)), mp_context=multiprocessing.get_context("spawn"),
                                  initializer=_start_worker, initargs=(options, os.getpid()))
    finished: set[int] = set()

    def done(i: int, result: results.ExerciseResult) -> None:
        finished.add(i)
        on_done(i, result)

    try:
        futures = {pool.submit(_grade_in_worker, submissions[i]): i for i in todo}
        for future in cf.as_completed(futures):
            try:
                done(futures[future], future.result())
            except cf.process.BrokenProcessPool:
                # a judge died (out of memory, killed): what finished stands, the rest is the grader's failure
                for j in todo:
                    if j not in finished:
                        done(j, problem_result(submissions[j], POOL_DIED_MESSAGE, grader_error=True))
                break
    except BaseException:
        # Ctrl-C or a failure: stop at once. Killing a judge closes its warm process's channel, and the
        # warm process and every sandbox die with it.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(10)
        raise
    pool.shutdown(wait=True)
