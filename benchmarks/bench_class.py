"""Grading a whole class: one judge versus several, side by side in one run.

    python benchmarks/bench_class.py [--jobs 2] [--dask]

--dask adds a third row: the same class through `--scheduler` on a Dask LocalCluster of --jobs worker
processes on this machine (needs grader[cluster]).

The class is every file of tests/corpus, each as one student's submission of its exercise
(right and wrong ones alike), laid out as an instructor would receive them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import corpus_files  # noqa: E402


def build_class(root: Path) -> int:
    corpus = corpus_files.entries()
    for count, entry in enumerate(corpus, 1):
        entry.write(root / f"student{count:03d}")
    return len(corpus)


def grade(root: Path, jobs: int, *options: str) -> float:
    """Seconds for `grade root -j jobs` with the given options, from the shell."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "grader", str(root), "-j", str(jobs), "--device", "cpu", *options,
                           "--html", os.devnull], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, CI="1"))
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stdout[-2000:] + proc.stderr[-2000:])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--dask", action="store_true", help="also grade on a Dask LocalCluster of --jobs workers")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "class"
        n = build_class(root)
        csvs = {}
        for label, jobs, extra in (("-j 1", 1, ()), (f"-j {args.jobs}", args.jobs, ())):
            csvs[label] = Path(tmp) / f"{len(csvs)}.csv"
            rows.append((label, grade(root, jobs, "--csv", str(csvs[label]), *extra)))
        if args.dask:
            from distributed import LocalCluster

            with LocalCluster(n_workers=args.jobs, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
                label = f"Dask, {args.jobs} workers"
                csvs[label] = Path(tmp) / "dask.csv"
                rows.append((label, grade(root, 1, "--csv", str(csvs[label]), "--scheduler", cluster.scheduler_address)))
        tables = {label: sorted(path.read_text().splitlines()) for label, path in csvs.items()}
    print(f"{n} submissions, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f} after the run")
    for label, seconds in rows:
        print(f"  {label:<18} {seconds:7.1f} s   {seconds / n * 1000:6.0f} ms per submission   "
              f"{rows[0][1] / seconds:4.2f}x the throughput of one judge")
    print(f"  same scores in every row: {len({tuple(t) for t in tables.values()}) == 1}")


if __name__ == "__main__":
    main()
