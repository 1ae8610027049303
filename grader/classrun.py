"""Grading a class through the cache: hits are reported at once, only the rest goes to the executor.

The three pieces stay apart: `grader.api.grade_all` (the executor: one judge or a pool, each with a
warm `Grader`), `grader.cache.ResultCache` (storage), and this glue, which stores each result as it
arrives so a run stopped at any point keeps what finished.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader import api, cache
from grader.discovery import Handin
from grader.errors import Interrupted
from grader.results import ExerciseResult


def grade_class(submissions: list[Handin], cache_dir: Path | None = None, force: bool = False,
                on_result: Callable[[int, ExerciseResult], None] | None = None,
                on_check: Callable[[int, int, int], None] | None = None, **kwargs: Any) -> list[ExerciseResult]:
    """Like grade_all, but submissions already graded under the same fingerprint are not graded again.

    `force`: grade everything, and store the new results. Interrupted carries every result, as grade_all's does.
    """
    if cache_dir is None:
        return api.grade_all(submissions, on_result=on_result, on_check=on_check, **kwargs)
    store = cache.ResultCache(cache_dir)
    out: list[ExerciseResult | None] = [None] * len(submissions)
    keys: dict[int, str] = {}
    fingerprints: dict[str, str] = {}
    todo: list[int] = []
    for i, sub in enumerate(submissions):
        if sub.problem or sub.exercise is None:
            todo.append(i)  # cheap: grade_all reports it at once
            continue
        fp = fingerprints.get(sub.exercise.id) or cache.fingerprint(sub.exercise, kwargs)
        fingerprints[sub.exercise.id] = fp
        keys[i] = cache.key(sub, fp)
        hit = None if force else store.get(keys[i], sub.label)
        if hit is None:
            todo.append(i)
        else:
            out[i] = hit
            if on_result:
                on_result(i, hit)

    def done(j: int, result: ExerciseResult) -> None:
        i = todo[j]
        out[i] = result
        if i in keys:
            store.put(keys[i], result)
        if on_result:
            on_result(i, result)

    def check(j: int, n: int, total: int) -> None:
        if on_check:
            on_check(todo[j], n, total)

    try:
        if todo:
            graded = api.grade_all([submissions[i] for i in todo], on_result=done, on_check=check, **kwargs)
        else:
            graded = []
    except Interrupted as stop:
        for j, r in enumerate(stop.results):
            out[todo[j]] = out[todo[j]] or r
        raise Interrupted([r for r in out if r is not None]) from None
    for j, r in enumerate(graded):
        out[todo[j]] = r
    return [r for r in out if r is not None]
