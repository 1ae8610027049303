"""Grading a whole class: one judge versus several, side by side in one run.

    python benchmarks/bench_class.py [--jobs 2]

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
    """Seconds for `grade root -j jobs` with the given report options, from the shell."""
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "class"
        n = build_class(root)
        one = grade(root, 1, "--csv", str(Path(tmp) / "one.csv"))
        many = grade(root, args.jobs, "--csv", str(Path(tmp) / "many.csv"))
        same = sorted((Path(tmp) / "one.csv").read_text().splitlines()) == sorted((Path(tmp) / "many.csv").read_text().splitlines())
    print(f"{n} submissions, {os.cpu_count()} CPUs")
    print(f"  -j 1            {one:7.1f} s   {one / n * 1000:6.0f} ms per submission")
    print(f"  -j {args.jobs:<12d} {many:7.1f} s   {many / n * 1000:6.0f} ms per submission")
    print(f"  same scores: {same}")


if __name__ == "__main__":
    main()
