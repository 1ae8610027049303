"""The Python API the CLI is a thin layer over: a warm Grader that grades submissions one by one.

    with Grader(device="cpu") as g:
        for sub in discovery.resolve("submissions/"):
            result = g.grade(sub)
"""

from __future__ import annotations

import importlib.util
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import torch

from grader import __version__, catalog, results, warmup
from grader.catalog import Exercise
from grader.discovery import Submission
from grader.errors import GraderError, UsageError
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

    def grade(self, submission: Submission, progress: Callable[[int, int], None] | None = None) -> results.ExerciseResult:
        """Grade one submission in a fresh sandbox; `progress(done, total)` is called after each check."""
        ex = submission.exercise
        start = time.monotonic()
        warmup.run([w for w in ex.warmups if w not in self._warmed])  # while the warm process may still start
        self._warmed.update(ex.warmups)
        try:
            self._warm.wait_ready()
        except RuntimeError as exc:
            raise GraderError(str(exc)) from None
        sandbox = Sandbox(self._warm, submission.files, ex.module, self.device, self.limits, self.seed)
        try:
            plugin = GradePlugin(sandbox, load_reference(ex), self.device, self.seed, submission.source, self.expected(ex),
                                 progress)
            checks = results.from_json_report(run_checks(ex, plugin, self.select))
        finally:
            sandbox.close()
        facts = dict(self.facts(), duration_s=round(time.monotonic() - start, 3),
                     sandbox_time_s=round(sandbox.used_s, 3), sandbox=sandbox.facts)
        return results.ExerciseResult(ex.id, ex.title, submission.label, checks, facts)


_WORKER_GRADER: Grader | None = None


def _start_worker(options: dict[str, Any]) -> None:
    global _WORKER_GRADER
    _WORKER_GRADER = Grader(**options)


def _grade_in_worker(submission: Submission) -> results.ExerciseResult:
    assert _WORKER_GRADER is not None
    return _WORKER_GRADER.grade(submission)


def grade_all(submissions: list[Submission], jobs: int = 1,
              on_result: Callable[[int, results.ExerciseResult], None] | None = None,
              on_check: Callable[[int, int, int], None] | None = None, bake: bool = False, **options: Any) -> list[results.ExerciseResult]:
    """Grade many submissions; with jobs > 1, in that many judge processes, each with its own warm sandbox.

    Results come back in the order of `submissions`; `on_result(index, result)` is called as each finishes,
    and, with one job, `on_check(index, checks_done, checks_total)` as each check does. `bake` writes
    the expected values computed on the way next to each exercise's checks (one job only).
    """
    out: list[results.ExerciseResult | None] = [None] * len(submissions)
    if jobs <= 1 or len(submissions) <= 1 or bake:
        with Grader(**options) as grader:
            for i, sub in enumerate(submissions):
                out[i] = grader.grade(sub, (lambda done, total, i=i: on_check(i, done, total)) if on_check else None)
                if on_result:
                    on_result(i, out[i])
            if bake:
                grader.bake()
        return out  # type: ignore[return-value]
    import concurrent.futures as cf
    import multiprocessing

    with cf.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                initializer=_start_worker, initargs=(options,)) as pool:
        futures = {pool.submit(_grade_in_worker, sub): i for i, sub in enumerate(submissions)}
        try:
            for future in cf.as_completed(futures):
                i = futures[future]
                out[i] = future.result()
                if on_result:
                    on_result(i, out[i])
        except cf.process.BrokenProcessPool as exc:
            raise GraderError(f"a grading process died: {exc}") from None
    return out  # type: ignore[return-value]
