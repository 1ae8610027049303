"""Print one line per blind / do-nothing submission: score, verdict and the checks that took points.

    python3 tests/blind_table.py [NN_name ...]

The same grading as tests/test_blind.py, as a table for reports (test_blind.py is what CI runs).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent.parent), str(Path(__file__).parent)]  # this checkout's grader, blind_files

from blind_files import files as patches  # noqa: E402
from blind_files import source  # noqa: E402

from grader import catalog, discovery  # noqa: E402
from grader.api import Grader  # noqa: E402
from grader.sandbox.limits import Limits  # noqa: E402

HERE = Path(__file__).parent


def verdict(kind: str, score: int, max_score: int) -> str:
    if kind == "wrong":
        return "caught" if score < max_score else "ESCAPED"
    if kind == "right":
        return "right ok" if score == max_score else "right LOST POINTS"
    return "zero ok" if score == 0 else "NOT ZERO"


def main(folders: list[str]) -> None:
    patterns = folders or ["*"]
    files = [p for pat in patterns for root in ("blind", "do_nothing") for p in patches(root, pat)]
    with Grader(device="cpu", seed=0, limits=Limits(call_timeout_s=10, budget_s=120)) as grader:
        for path in files:
            exercise = catalog.by_number(path.parent.name)
            assert exercise is not None
            result = grader.grade(discovery.Handin(exercise, path.name, {exercise.entry: source(path)}))
            kind = "do-nothing" if path.parent.parent.name == "do_nothing" else path.stem.split("_")[0]
            if kind == "do-nothing":
                detail = "points from " + ",".join(c.id for c in result.checks if c.score)
            else:
                detail = "failed " + ",".join(c.id for c in result.checks if c.outcome not in ("passed", "skipped"))
            print(f"{exercise.number} | {path.name} | {kind} | {result.score}/{result.max_score} | "
                  f"{verdict(kind, result.score, result.max_score)} | {detail}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
