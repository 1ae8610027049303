"""Class outputs: a class graded with --out, then the same class rerun unchanged (served from DIR/.cache).

    python benchmarks/bench_out.py [--jobs 1]
    python benchmarks/bench_out.py --dashboard 200   # size of a synthetic 200-student dashboard

The class is every file of tests/corpus, each as one student's submission of its exercise.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_class import build_class, grade  # noqa: E402


def synthetic_dashboard(students: int, out: Path) -> Path:
    """A dashboard of `students` x the five exercises with random outcomes (no grading)."""
    from grader import catalog
    from grader.report import classout
    from grader.results import CheckResult, ExerciseResult

    rng = random.Random(0)
    results = []
    for s in range(students):
        for ex in catalog.EXERCISES:
            if rng.random() < 0.05:
                continue  # a missing submission
            checks = [CheckResult(f"check_{k}", f"Check {k}", "t", rng.choice(["passed"] * 4 + ["failed", "timeout"]),
                                  0, 2, "hidden", f"max error {rng.random():.3f} (hint number {k % 4} for this)")
                      for k in range(15)]
            for c in checks:
                c.score = c.max_score if c.outcome == "passed" else 0
            results.append(ExerciseResult(ex.id, ex.title, f"class/student{s:03d}/{ex.id}", checks))
    classout.write_class(out, results, ["class"], {"device": "cpu", "seed": 0})
    return out / "index.html"


def load_ms(page: Path) -> float:
    """Median of 5 loads in headless Chromium (Debian's), to the load event; NaN without a browser."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return float("nan")
    args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        tab = browser.new_page()
        times = []
        for _ in range(5):
            tab.goto(page.as_uri())
            times.append(tab.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
        browser.close()
    return sorted(times)[2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--dashboard", type=int, default=0, help="only build a synthetic dashboard of N students")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.dashboard:
            page = synthetic_dashboard(args.dashboard, Path(tmp) / "out")
            print(f"dashboard for {args.dashboard} students: {page.stat().st_size / 1024:.0f} KiB, "
                  f"loaded in Chromium in {load_ms(page):.0f} ms")
            return
        root, out = Path(tmp) / "class", Path(tmp) / "out"
        n = build_class(root)
        for ex in sorted((ROOT / "solutions").iterdir()):  # plus the five solutions and the five stubs: 103
            if ex.is_dir():
                shutil.copytree(ex, root / "student_solution" / ex.name, ignore=shutil.ignore_patterns("__pycache__"))
                shutil.copytree(ROOT / "exercises" / ex.name, root / "student_stub" / ex.name,
                                ignore=shutil.ignore_patterns("__pycache__"))
                n += 2
        first = grade(root, args.jobs, "--out", str(out))
        again = grade(root, args.jobs, "--out", str(out))
        print(f"{n} submissions, {args.jobs} judge(s): first run {first:.1f} s ({first / n:.2f} s/submission); "
              f"rerun unchanged {again:.1f} s ({100 * again / first:.1f} % of the first)")


if __name__ == "__main__":
    main()
