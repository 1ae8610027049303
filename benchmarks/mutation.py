"""Mutation testing of the checks: how many plausible mistakes in each reference do they catch?

    python benchmarks/mutation.py                 # every exercise
    python benchmarks/mutation.py 01 04 -j 2      # some exercises, two judges side by side
    python benchmarks/mutation.py 02 --list       # the mutants only, nothing graded
    python benchmarks/mutation.py --target 95     # exit 1 when an exercise's kill rate is below 95 %

Each mutant of `solutions/NN_*/<entry>.py` (benchmarks/mutants.py) is graded as a submission
through the warm `Grader`. It is *killed* when it loses at least one point (a timeout or a crash
counts), *equivalent* when `grader/suites/exNN_*/equivalent_mutants.toml` lists its id with the
reason it behaves like the reference, and *survived* otherwise. Kill rate = killed / (total -
equivalent). Survivors are listed with id, line, what changed and the mutated line.

equivalent_mutants.toml:

    # one entry per mutant id; the reason says why no check can tell it from the reference
    "constant:d19c3d6c:2" = "-1 -> -2 as the fill value of torch.where: any negative value is below every position"
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

import mutants as mutgen  # noqa: E402

EQUIVALENTS_FILE = "equivalent_mutants.toml"
# Mutants that loop forever (`t >= T_i` -> `t -= -T_i` ...) must not cost the full default budget.
# The call limit also bounds a sandbox's start, which takes seconds on a loaded machine.
MUTANT_LIMITS: dict[str, Any] = {"call_timeout_s": 5.0, "budget_s": 30.0}


def load_equivalents(path: Path) -> dict[str, str]:
    """Mutant id -> reason, from a TOML file of `"id" = "reason"` lines; a missing file is empty."""
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SystemExit(f"error: {path}: {exc}") from None
    bad = [k for k, v in data.items() if not isinstance(v, str) or not v.strip()]
    if bad:
        raise SystemExit(f"error: {path}: every entry needs a reason (a non-empty string): {', '.join(bad)}")
    return data


@dataclass
class Tally:
    exercise: str
    total: int = 0
    killed: int = 0
    equivalent: int = 0
    survivors: list[mutgen.Mutant] = field(default_factory=list)
    errors: list[tuple[mutgen.Mutant, str]] = field(default_factory=list)   # the grader itself broke
    stale: list[str] = field(default_factory=list)           # listed as equivalent but no longer generated
    killed_equivalents: list[str] = field(default_factory=list)  # listed as equivalent yet killed

    @property
    def rate(self) -> float:
        live = self.total - self.equivalent
        return 100.0 * self.killed / live if live else 100.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("exercises", nargs="*", help="exercise numbers (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="judges side by side")
    parser.add_argument("--list", action="store_true", help="list the mutants, grade nothing")
    parser.add_argument("--show-survivors", action="store_true", help="print each survivor's whole diff context")
    parser.add_argument("--target", type=float, default=95.0, help="minimum kill rate per exercise (percent)")
    parser.add_argument("--operator", action="append", choices=mutgen.ORDER, help="only these operators")
    args = parser.parse_args(argv)

    from grader import catalog

    exercises = []
    for name in args.exercises or [ex.number for ex in catalog.EXERCISES]:
        ex = catalog.by_number(name)
        if ex is None:
            print(f"error: no exercise {name!r}", file=sys.stderr)
            return 2
        exercises.append(ex)

    plan = {ex.id: mutgen.generate(ex.reference_file.read_text(encoding="utf-8"), args.operator) for ex in exercises}
    if args.list:
        for ex_id, ms in plan.items():
            for m in ms:
                print(f"{ex_id}  {m.id:<28} L{m.line:<3} {m.description}\n      {m.mutated_line}")
        print(f"{sum(map(len, plan.values()))} mutants")
        return 0

    from grader.api import grade_all
    from grader.discovery import Handin
    from grader.sandbox.limits import Limits

    subs, owners = [], []
    for ex in exercises:
        subs.append(Handin(ex, f"reference {ex.id}", {ex.entry: ex.reference_file.read_bytes()}))
        owners.append((ex, None))
        for m in plan[ex.id]:
            subs.append(Handin(ex, f"{ex.id} {m.id}", {ex.entry: m.source.encode()}))
            owners.append((ex, m))
    done = [0]

    def progress(i: int, _result: object) -> None:
        done[0] += 1
        print(f"\r{done[0]}/{len(subs)} graded", end="", file=sys.stderr, flush=True)

    start = time.monotonic()
    results = grade_all(subs, jobs=args.jobs, on_result=progress, device="cpu", limits=Limits(**MUTANT_LIMITS))
    # A sandbox that could not start in time on a loaded machine is the grader's failure, not the
    # mutant's: grade those once more, one by one, before reporting them.
    again = [i for i, r in enumerate(results) if r.grader_error]
    if again:
        print(f"\nregrading {len(again)} submission(s) that hit a grader error", file=sys.stderr)
        for i, result in zip(again, grade_all([subs[i] for i in again], jobs=1, device="cpu",
                                              limits=Limits(**MUTANT_LIMITS))):
            results[i] = result
    elapsed = time.monotonic() - start
    print(file=sys.stderr)

    tallies = {ex.id: Tally(ex.id) for ex in exercises}
    equivalents = {ex.id: load_equivalents(ex.suite_dir / EQUIVALENTS_FILE) for ex in exercises}
    broken = []
    for (ex, m), result in zip(owners, results):
        t = tallies[ex.id]
        if m is None:
            if result.score != result.max_score:
                broken.append(f"{ex.id}: the reference itself scores {result.score}/{result.max_score}")
            continue
        t.total += 1
        killed = result.score < result.max_score
        if result.grader_error:
            t.errors.append((m, "; ".join(f"{c.id}: {(c.message.splitlines() or [''])[0][:200]}"
                                          for c in result.checks if c.grader_error)))
        if m.id in equivalents[ex.id]:
            t.equivalent += 1
            if killed:
                t.killed_equivalents.append(m.id)
                t.equivalent -= 1
                t.killed += 1
        elif killed:
            t.killed += 1
        else:
            t.survivors.append(m)
    for ex in exercises:
        generated = {m.id for m in plan[ex.id]}
        tallies[ex.id].stale = sorted(set(equivalents[ex.id]) - generated)

    print(f"{'exercise':<18}{'total':>7}{'killed':>8}{'equiv.':>8}{'survived':>10}{'kill rate':>11}")
    for t in tallies.values():
        print(f"{t.exercise:<18}{t.total:>7}{t.killed:>8}{t.equivalent:>8}{len(t.survivors):>10}{t.rate:>10.1f}%")
    total = sum(t.total for t in tallies.values())
    print(f"{total} mutants graded in {elapsed:.1f} s with -j {args.jobs} ({elapsed / max(total, 1):.2f} s each)")

    for t in tallies.values():
        if t.survivors:
            print(f"\nSurvivors of {t.exercise} (not killed, not listed in {EQUIVALENTS_FILE}):")
        for m in t.survivors:
            print(f"  {m.id:<28} L{m.line:<3} {m.description}")
            print(f"      - {m.original_line}\n      + {m.mutated_line}")
            if args.show_survivors:
                lines = m.source.splitlines()
                for n in range(max(0, m.line - 3), min(len(lines), m.line + 2)):
                    print(f"      {n + 1:>4} | {lines[n]}")
        for mid in t.killed_equivalents:
            print(f"  note: {t.exercise}: {mid} is listed as equivalent but a check kills it; remove it from the file")
        for mid in t.stale:
            print(f"  note: {t.exercise}: {mid} is listed as equivalent but no longer generated; remove it from the file")
        for m, ids in t.errors:
            print(f"  GRADER ERROR: {t.exercise}: {m.id} (L{m.line} {m.description}) broke {ids}")
    for line in broken:
        print(f"error: {line}", file=sys.stderr)
    if broken or any(t.errors for t in tallies.values()):
        return 3
    return 0 if all(t.rate >= args.target for t in tallies.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
