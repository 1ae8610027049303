"""Hostile and broken submissions end as honest check results, and the grader stays up.

Each tests/hostile/*.py is a train_linear.py (exercise 05) whose first line names the outcome
its first check must get.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from grader import catalog, discovery, results

HOSTILE = sorted((Path(__file__).parent / "hostile").glob("*.py"))
EX05 = catalog.by_number("05")
ONE_CHECK = "published_first_step"


def expected_outcome(path: Path) -> str:
    return path.read_text().splitlines()[0].removeprefix("# expect:").strip()


def _parent(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def processes_under(root: int) -> list[int]:
    """Live (non-zombie) descendants of `root`, apart from its direct children the supervisors."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
            chain, p = [], pid
            while p > 1:
                p = _parent(p)
                chain.append(p)
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if root in chain[1:] and state != "Z":
            found.append(pid)
    return found


def no_survivors(root: int, wait_s: float = 3.0) -> bool:
    deadline = time.monotonic() + wait_s
    while processes_under(root):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.stem)
def test_hostile_submission_gets_an_honest_result(fast_grader, path):
    [sub] = discovery.resolve(str(path), "05")
    fast_grader.select = ONE_CHECK
    start = time.monotonic()
    try:
        result = fast_grader.grade(sub)
    finally:
        fast_grader.select = None
    elapsed = time.monotonic() - start
    [check] = result.checks
    assert check.outcome == expected_outcome(path), check.message
    assert check.score == 0 and result.score == 0
    assert check.message and not check.grader_error
    assert "FOUND" not in check.message
    assert elapsed < fast_grader.limits.budget_s + 10
    assert len(check.output.get("stdout", "")) <= fast_grader.limits.output_cap + 100
    assert no_survivors(fast_grader.warm_pid), "a sandboxed process outlived its submission"
    json.dumps(results.run_as_dict([result]))  # the report of the class can still be written


def test_grader_still_grades_correctly_after_hostile_code(fast_grader):
    [sub] = discovery.resolve(str(EX05.reference_file.parent))
    fast_grader.select = ONE_CHECK
    try:
        result = fast_grader.grade(sub)
    finally:
        fast_grader.select = None
    assert result.score == result.max_score > 0


def test_syntax_error_points_at_the_line_in_every_check(grader):
    [sub] = discovery.resolve(str(Path(__file__).parent / "hostile" / "syntax_error.py"), "05")
    result = grader.grade(sub)
    assert result.score == 0 and len(result.checks) >= 10
    for c in result.checks:
        assert c.outcome == "error"
        assert "could not import train_linear.py: SyntaxError" in c.message
        assert c.frames and c.frames[-1]["line"] == 2


def test_time_budget_caps_a_hanging_submission(fast_grader):
    """A submission that hangs in every check costs at most the budget, not checks x timeout."""
    [sub] = discovery.resolve(str(Path(__file__).parent / "hostile" / "infinite_loop.py"), "05")
    start = time.monotonic()
    result = fast_grader.grade(sub)
    assert time.monotonic() - start < fast_grader.limits.budget_s + 15
    assert result.score == 0
    assert all(c.outcome == "timeout" for c in result.checks)
    assert any("stopped early" in c.message or "budget" in c.message for c in result.checks)


def test_a_submission_whose_first_calls_all_time_out_stops_early(fast_grader):
    """Two calls timing out before any answered: the rest are not run, so an infinite loop costs two timeouts."""
    from grader.sandbox.judge_side.client import STOP_AFTER_TIMEOUTS

    [sub] = discovery.resolve(str(Path(__file__).parent / "hostile" / "infinite_loop.py"), "05")
    result = fast_grader.grade(sub)
    assert result.score == 0 and all(c.outcome == "timeout" for c in result.checks)
    slow = [c for c in result.checks if "did not finish within" in c.message]
    stopped = [c for c in result.checks if "stopped early" in c.message]
    assert len(slow) == STOP_AFTER_TIMEOUTS  # counted, not timed: the budget (3 timeouts) is never reached
    assert stopped and len(slow) + len(stopped) == len(result.checks)
    assert not any("budget" in c.message for c in result.checks)


JUNK_PROBES = '''
import grader.probe as probe_api

def junk(sub, *args, **kwargs):
    return {JUNK!r}

for name in list(probe_api._REGISTRY):
    probe_api._REGISTRY[name] = junk
'''


@pytest.mark.parametrize("junk", [None, {}, [], "ok", {"out": "x", "losses": [None], "lrs": 1}], ids=repr)
@pytest.mark.parametrize("exercise", catalog.EXERCISES, ids=lambda e: e.id)
def test_forged_probe_results_never_score_nor_break_the_grader(grader, exercise, junk, tmp_path):
    """Probes run in the student's process, so their results are untrusted: junk scores 0, as a student failure."""
    folder = tmp_path / exercise.id
    folder.mkdir()
    (folder / exercise.entry).write_text(JUNK_PROBES.replace("{JUNK!r}", repr(junk)))
    [sub] = discovery.resolve(str(folder))
    result = grader.grade(sub)
    assert [c.id for c in result.checks if c.grader_error] == [], [c.message for c in result.checks if c.grader_error]
    assert result.score == 0, [c.id for c in result.checks if c.outcome == "passed"]


def test_verdicts_are_made_in_the_judge_so_patched_comparisons_hide_nothing(grader):
    """A submission that modifies the caller's tensors cannot pass by making torch.equal lie in its process."""
    cheat = Path(__file__).parent / "cheats" / "hides_in_place_changes.py"
    [sub] = discovery.resolve(str(cheat), "05")
    grader.select = "caller_tensors_untouched or batch_multi_output"
    try:
        result = grader.grade(sub)
    finally:
        grader.select = None
    outcomes = {c.id: c.outcome for c in result.checks}
    assert outcomes == {"batch_multi_output": "passed", "caller_tensors_untouched": "failed"}, result.checks


def test_huge_traceback_frames_reach_the_report_cut(fast_grader):
    """A 1 MB source line in a deep recursion: the check shows a few short frames, not a gigabyte."""
    [sub] = discovery.resolve(str(Path(__file__).parent / "hostile" / "huge_frames.py"), "05")
    fast_grader.select = ONE_CHECK
    try:
        result = fast_grader.grade(sub)
    finally:
        fast_grader.select = None
    [check] = result.checks
    assert check.outcome == "error" and "RecursionError" in check.message
    assert 0 < len(check.frames) <= 50
    assert all(len(f["code"]) <= 300 and len(f["file"]) <= 300 for f in check.frames)
    assert len(json.dumps(results.run_as_dict([result]))) < 200_000


COMPLEX_PROBES = (Path(__file__).parent / "hostile" / "complex_results.py").read_text().split("# -- the hostile part")[1]


def _has_complex(value) -> bool:
    if isinstance(value, (complex, bytes)):
        return True
    if isinstance(value, dict):
        return any(_has_complex(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_complex(v) for v in value)
    return False


@pytest.mark.parametrize("exercise", catalog.EXERCISES, ids=lambda e: e.id)
def test_complex_results_give_plain_details_and_a_json_report(grader, exercise, tmp_path):
    """Every probe of a correct solution rewritten to answer in complex numbers: failed checks, plain details."""
    folder = tmp_path / exercise.id
    folder.mkdir()
    (folder / exercise.entry).write_text(exercise.reference_file.read_text() + "\nimport torch\n" + COMPLEX_PROBES)
    [sub] = discovery.resolve(str(folder))
    result = grader.grade(sub)
    assert [c.id for c in result.checks if c.grader_error] == [], [c.message for c in result.checks if c.grader_error]
    assert result.score < result.max_score
    assert not any(_has_complex(c.details) for c in result.checks)
    json.dumps(results.run_as_dict([result]))
