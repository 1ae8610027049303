"""A student's CI job, measured here: install (pip cache cold, then warm), then grade all five exercises.

    python benchmarks/bench_student_ci.py [--torch-spec "torch==2.13.0"]

It runs what the release's workflow runs, in a fresh virtual environment made from a release of this
repository: the CPU build of torch first, then the grader (`pip install .`), then
`grade exercises/ --junit … --json … --html …`. The first install uses an empty pip cache, the second a
warm one (what `actions/setup-python` with `cache: pip` restores). It also prints the size of the
release, plain and graded. Needs the network (or a local index) for the grader's dependencies.
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


def size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def timed(cmd: list[str], ok: tuple[int, ...] = (0,), **kwargs) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kwargs)
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def install(release: Path, venv: Path, cache: Path, torch_spec: str) -> dict[str, float]:
    env = {**os.environ, "PIP_CACHE_DIR": str(cache), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PIP_CONSTRAINT", None)
    out = {"venv": timed([sys.executable, "-m", "venv", str(venv)], env=env)}
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    out["torch (CPU)"] = timed(pip + [torch_spec], env=env)
    out["grader"] = timed(pip + ["."], cwd=release, env=env)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--torch-spec", default="torch==2.13.0",
                        help="what the job installs first (the workflow: the CPU wheel index)")
    args = parser.parse_args()
    from grader.release.build import build
    from grader.release.graded import new_key

    with tempfile.TemporaryDirectory(prefix="bench-student-ci-") as tmp:
        tmp_path = Path(tmp)
        plain, graded = tmp_path / "release", tmp_path / "graded"
        build(plain)
        build(graded, key=new_key())
        for name, folder in (("release", plain), ("graded release", graded)):
            n, total = size(folder)
            print(f"{name:>15}: {n} files, {total / 1024:.0f} KiB")
        cache = tmp_path / "pip-cache"
        rows = []
        for label in ("cold pip cache", "warm pip cache"):
            venv = tmp_path / f"venv-{len(rows)}"
            steps = install(plain, venv, cache, args.torch_spec)
            report = tmp_path / "r"
            steps["grade exercises/"] = timed(
                [str(venv / "bin" / "grade"), "exercises/", "--junit", str(report) + ".xml", "--json",
                 str(report) + ".json", "--html", str(report) + ".html", "--hide-hidden"],
                ok=(0, 1), cwd=plain, env={k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"})  # stubs: exit 1
            rows.append((label, steps))
        print(f"\n{'':>16}" + "".join(f"{k:>18}" for k in rows[0][1]) + f"{'total':>10}")
        for label, steps in rows:
            print(f"{label:>16}" + "".join(f"{v:>17.1f}s" for v in steps.values()) + f"{sum(steps.values()):>9.1f}s")
    print(f"\nmachine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
