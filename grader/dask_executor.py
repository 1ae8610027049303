"""Grading on a Dask cluster (`grade CLASS/ --scheduler ADDRESS`): the executor for more than one machine.

Each Dask worker keeps one warm `Grader` across its tasks (a WorkerPlugin starts it when the worker
joins, next to the worker, and closes it with the worker), so torch is imported once per worker as in
the local pool. Tasks carry a `Handin` (plain data: the files' bytes) and return an `ExerciseResult`;
the client stores each result as it arrives (grader.classrun), so the cache in the output folder is
shared however many machines grade. A task that fails on a worker (the worker died, out of memory)
becomes that submission's grader-error result, as a dead judge does in the local pool.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from grader.discovery import Handin
from grader.errors import UsageError
from grader.results import ExerciseResult

_GRADERS: dict[str, Any] = {}  # worker address -> its warm Grader (one per worker, whatever the process layout)


def _plugin(options: dict[str, Any]) -> Any:
    from distributed import WorkerPlugin

    class WarmGrader(WorkerPlugin):
        """Starts a worker's Grader (its warm sandbox process) when the worker joins; closes it at teardown."""

        def __init__(self, options: dict[str, Any]) -> None:
            self.options = options

        # The class travels to the workers by value: reach the module's registry by import there.
        def setup(self, worker: Any) -> None:
            from grader import dask_executor
            from grader.api import Grader

            dask_executor._GRADERS[worker.address] = Grader(**self.options)

        def teardown(self, worker: Any) -> None:
            from grader import dask_executor

            grader = dask_executor._GRADERS.pop(worker.address, None)
            if grader is not None:
                grader.close()

    return WarmGrader(options)


def grade_task(submission: Handin) -> ExerciseResult:
    """Runs on a worker: one submission through that worker's warm Grader."""
    from distributed import get_worker

    return _GRADERS[get_worker().address].grade(submission)


def grade(submissions: list[Handin], todo: list[int], done: Callable[[int, ExerciseResult], None],
          scheduler: str, options: dict[str, Any], failed: Callable[[Handin], ExerciseResult]) -> None:
    """Grade `todo` on the cluster at `scheduler`; `done(i, result)` as each finishes, in any order."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'grader[cluster]' (dask and distributed)") from None
    try:
        client = Client(scheduler, timeout="30s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"--scheduler {scheduler}: cannot reach a Dask scheduler there ({exc})") from None
    name = f"grader-warm-{uuid.uuid4().hex[:8]}"
    futures: dict[Any, int] = {}
    try:
        client.register_plugin(_plugin({k: v for k, v in options.items() if k != "warm"}), name=name)
        futures = {client.submit(grade_task, submissions[i], pure=False, key=f"grade-{i}-{uuid.uuid4().hex}"): i
                   for i in todo}
        for future in as_completed(futures):
            i = futures[future]
            try:
                result = future.result()
            except Exception:  # the task or its worker failed: the grader's failure, not the student's
                result = failed(submissions[i])
            done(i, result)
    except BaseException:
        client.cancel(list(futures), force=True)  # Ctrl-C: stop what is queued; what finished stands
        raise
    finally:
        try:
            client.unregister_worker_plugin(name)  # each worker closes its Grader and warm process
        except Exception:
            pass
        client.close()
