"""The Dask executor grades a class exactly as the local judge does (LocalCluster of 2 worker processes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from grader import api, discovery
from grader.sandbox.limits import Limits

distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install -e '.[cluster]')")

REPO = Path(__file__).resolve().parent.parent
LIMITS = Limits(call_timeout_s=30, budget_s=300)  # roomy: a loaded machine must not turn a result into a timeout


def essence(result) -> tuple:
    """What a grade is, leaving out timings and the sandbox's own facts."""
    return (result.id, result.label, result.score, result.max_score,
            [(c.id, c.outcome, c.score, str(c.message)) for c in result.checks])


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c:
        yield c


def test_a_class_on_a_local_cluster_matches_the_local_judge(cluster, tmp_path):
    submissions = discovery.resolve_all([str(REPO / "solutions"), str(REPO / "exercises")])
    here = api.grade_all(submissions, device="cpu", seed=0, limits=LIMITS)
    seen: list[int] = []
    there = api.grade_all(submissions, scheduler=cluster.scheduler_address, device="cpu", seed=0, limits=LIMITS,
                          on_result=lambda i, r: seen.append(i))
    assert sorted(seen) == list(range(len(submissions)))
    assert [essence(r) for r in there] == [essence(r) for r in here]
    assert {r.score for r in there if "solutions" in r.label} != {0}
    assert len(cluster.workers) == 2


def test_each_worker_keeps_one_warm_grader(cluster):
    """Several tasks, two workers: every worker graded with the one Grader its plugin started."""
    submissions = discovery.resolve_all([str(REPO / "exercises")]) * 2
    client = distributed.Client(cluster.scheduler_address)
    try:
        api.grade_all(submissions, scheduler=cluster.scheduler_address, device="cpu", seed=0, limits=LIMITS)
        # after the run the plugin is gone and each worker closed its Grader
        left = client.run(lambda: len(__import__("grader.dask_executor", fromlist=["x"])._GRADERS))
        assert set(left.values()) == {0}
    finally:
        client.close()


def test_an_unreachable_scheduler_is_a_usage_error():
    done = subprocess.run([sys.executable, "-m", "grader", "exercises/05", "--scheduler", "tcp://127.0.0.1:9"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "--scheduler tcp://127.0.0.1:9: cannot reach a Dask scheduler" in done.stderr
