"""Figures for the sandbox's cost, side by side in one run.

    python benchmarks/bench_grading.py [--exercise 05] [--repeat 3]

1. Per-call overhead: one probe call into the sandbox vs the same call in-process.
2. Sandbox start: a fresh confined worker answering its first call.
3. One exercise graded: plain pytest in a fresh process (no isolation) vs `grade` from the shell
   (cold: starts its own warm process) vs a warm Grader (what each further submission costs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from grader import catalog, discovery  # noqa: E402
from grader.api import Grader  # noqa: E402
from grader.probe import Subject, invoke  # noqa: E402
from grader.sandbox.judge_side.client import Sandbox  # noqa: E402
from grader.sandbox.judge_side.warm import WarmProcess  # noqa: E402

SPY = b"def echo(x):\n    return x\n"


def ms(seconds: list[float]) -> str:
    seconds = sorted(seconds)
    p95 = seconds[min(len(seconds) - 1, int(len(seconds) * 0.95))]
    return f"median {statistics.median(seconds) * 1e3:9.3f} ms   p95 {p95 * 1e3:9.3f} ms"


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def per_call(warm: WarmProcess, n: int = 300) -> None:
    import types

    module = types.ModuleType("spy")
    exec(SPY, module.__dict__)
    subject = Subject(module, torch.device("cpu"))
    sb = Sandbox(warm, {"spy.py": SPY}, "spy")
    try:
        for label, arg in (("small tensor [8]", torch.randn(8)), ("1 MB tensor", torch.randn(256 * 1024))):
            sb.call("grader.probe:invoke", ("echo", arg), {}, 0)
            direct = timed(lambda arg=arg: invoke(subject, "echo", arg), n)
            boxed = timed(lambda arg=arg: sb.call("grader.probe:invoke", ("echo", arg), {}, 0), n)
            print(f"  {label:18s} in-process  {ms(direct)}")
            print(f"  {'':18s} sandboxed   {ms(boxed)}")
    finally:
        sb.close()


def sandbox_start(warm: WarmProcess, n: int = 20) -> None:
    def once():
        sb = Sandbox(warm, {"spy.py": SPY}, "spy")
        sb.call("grader.probe:invoke", ("echo", 1), {}, 0)
        sb.close()

    once()
    print(f"  fork + confine + import + first call   {ms(timed(once, n))}")


def run(cmd: list[str], env: dict | None = None) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    took = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return took


def whole_exercise(exercise: catalog.Exercise, repeat: int) -> tuple[float, float, float]:
    reference = exercise.reference_file
    env = dict(os.environ, SUBMISSION=str(reference), CI="1")
    plain = [run([sys.executable, "-m", "pytest", "-q", "-p", "benchmarks.plain_pytest_plugin", "-o",
                  "python_functions=check_*", str(exercise.checks_file)], env) for _ in range(repeat)]
    cold = [run([sys.executable, "-m", "grader", str(reference.parent), "--device", "cpu", "--html", "/dev/null"],
                dict(os.environ, CI="1")) for _ in range(repeat)]
    [sub] = discovery.resolve(str(reference.parent))
    with Grader(device="cpu") as g:
        g.grade(sub)
        warm = timed(lambda: g.grade(sub), max(repeat, 3))
    print(f"  plain pytest, fresh process, no isolation   {ms(plain)}")
    print(f"  grade CLI, cold (sandboxed)                 {ms(cold)}")
    print(f"  warm Grader, per submission (sandboxed)     {ms(warm)}")
    return statistics.median(plain), statistics.median(cold), statistics.median(warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exercise", default="05", help="01..05, or 'all' for a table of every exercise")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    exercises = list(catalog.EXERCISES) if args.exercise == "all" else [catalog.by_number(args.exercise)]
    print(f"torch {torch.__version__}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    warm = WarmProcess()
    warm.wait_ready()
    try:
        print("1. per-call overhead (echo probe)")
        per_call(warm)
        print("2. sandbox start")
        sandbox_start(warm)
    finally:
        warm.close()
    figures = {}
    for exercise in exercises:
        print(f"3. grading {exercise.id} (reference solution)")
        figures[exercise.id] = whole_exercise(exercise, args.repeat)
    if len(figures) > 1:
        print("\nexercise            plain pytest   grade (cold)   warm, per submission")
        for ex_id, (plain, cold, warm) in figures.items():
            print(f"{ex_id:18s} {plain:10.2f} s   {cold:10.2f} s   {warm:10.2f} s")


if __name__ == "__main__":
    main()
