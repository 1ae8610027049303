"""Hostile and broken submissions end as honest check results, and the grader stays up.

Each tests/hostile/*.py is a train_linear.py (exercise 05) whose first line names the outcome
its first check must get.
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import pytest
from speaks_japanese import assert_speaks_japanese

from grader import catalog, discovery, results
from grader.api import Grader
from grader.sandbox.limits import Limits

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


def no_survivors(root: int, wait_s: float = 60.0) -> bool:
    deadline = time.monotonic() + wait_s
    while processes_under(root):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture(scope="session")
def roomy_grader():
    """Time limits far beyond what a hostile submission that ends needs, even on a loaded machine."""
    with Grader(device="cpu", seed=0, limits=Limits(call_timeout_s=60, budget_s=120, memory_mb=512)) as g:
        yield g


@pytest.fixture(scope="session")
def hang_grader():
    """For hangs that must say where: the stack is dumped a second before the 5 s deadline."""
    with Grader(device="cpu", seed=0, limits=Limits(call_timeout_s=5, budget_s=30, memory_mb=512)) as g:
        yield g


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.stem)
def test_hostile_submission_gets_an_honest_result(request, path):
    """Hanging ones under short limits; the others under roomy ones, so a loaded machine cannot turn
    e.g. filling the disk into a timeout."""
    grader = request.getfixturevalue("fast_grader" if expected_outcome(path) == "timeout" else "roomy_grader")
    [sub] = discovery.resolve(str(path), "05")
    grader.select = ONE_CHECK
    try:
        result = grader.grade(sub)
    finally:
        grader.select = None
    [check] = result.checks
    assert check.outcome == expected_outcome(path), check.message
    assert check.score == 0 and result.score == 0
    assert check.message and not check.grader_error
    assert "FOUND" not in str(check.message)
    assert_speaks_japanese(result)
    assert result.facts["sandbox_time_s"] <= grader.limits.budget_s + 5  # charged time, not the machine's wall clock
    assert len(check.output.get("stdout", "")) <= grader.limits.output_cap + 100
    assert no_survivors(grader.warm_pid), "a sandboxed process outlived its submission"
    json.dumps(results.run_as_dict([result]))  # the report of the class can still be written


def test_grader_still_grades_correctly_after_hostile_code(fast_grader):
    [sub] = discovery.resolve(str(EX05.reference_file.parent))
    fast_grader.select = ONE_CHECK
    try:
        result = fast_grader.grade(sub)
    finally:
        fast_grader.select = None
    assert result.score == result.max_score > 0


def test_an_import_failure_is_one_row_naming_the_students_file(grader, tmp_path):
    """Graded as `-e 05 broken.py`: the error names broken.py and its line once; the rest are not run."""
    broken = tmp_path / "broken.py"
    broken.write_bytes((Path(__file__).parent / "hostile" / "syntax_error.py").read_bytes())
    [sub] = discovery.resolve(str(broken), "05")
    result = grader.grade(sub)
    first, *rest = result.checks
    assert first.outcome == "error" and len(rest) >= 9
    assert "could not import broken.py: SyntaxError" in str(first.message) and "train_linear" not in str(first.message)
    assert first.frames and first.frames[-1]["file"] == "broken.py" and first.frames[-1]["line"] == 2
    assert all(c.outcome == results.NOT_RUN and not c.frames and "broken.py" in str(c.message) for c in rest)
    assert result.score == 0 and result.max_score == sum(c.max_score for c in result.checks) > 20
    assert not result.all_passed


def test_an_import_that_hangs_is_one_row_that_says_where(hang_grader, tmp_path):
    spins = tmp_path / "spins.py"
    spins.write_text("import math\nn = 0\nwhile True:\n    n += 1\n")
    [sub] = discovery.resolve(str(spins), "05")
    result = hang_grader.grade(sub)
    first, *rest = result.checks
    assert first.outcome == "timeout" and "importing spins.py did not finish" in str(first.message)
    assert "it was running line" in str(first.message) and first.frames[-1]["file"] == "spins.py"
    assert first.frames[-1]["line"] in (3, 4)
    assert rest and all(c.outcome == results.NOT_RUN for c in rest)


def test_a_call_that_hangs_says_where(hang_grader):
    [sub] = discovery.resolve(str(Path(__file__).parent / "hostile" / "infinite_loop.py"), "05")
    hang_grader.select = ONE_CHECK
    try:
        [check] = hang_grader.grade(sub).checks
    finally:
        hang_grader.select = None
    assert check.outcome == "timeout"
    assert "it was running line 3 of infinite_loop.py (in train_linear)" in str(check.message)
    assert check.frames[-1] == {"file": "infinite_loop.py", "line": 3, "function": "train_linear", "code": "while True:"}


def test_time_budget_caps_a_hanging_submission(fast_grader):
    """A submission that hangs in every check costs at most the budget, not checks x timeout."""
    [sub] = discovery.resolve(str(Path(__file__).parent / "hostile" / "infinite_loop.py"), "05")
    result = fast_grader.grade(sub)
    limits = fast_grader.limits
    assert result.score == 0
    assert all(c.outcome == "timeout" for c in result.checks)
    # counted, not timed: only as many calls ran to their deadline as the budget holds; the rest were not run
    ran_out = [c for c in result.checks if "did not finish" in str(c.message)]
    assert 1 <= len(ran_out) <= math.ceil(limits.budget_s / limits.call_timeout_s)
    assert all("budget" in str(c.message) or "stopped early" in str(c.message) for c in result.checks if c not in ran_out)
    assert len(ran_out) < len(result.checks)
    assert result.facts["sandbox_time_s"] <= limits.budget_s + 5


def test_a_submission_whose_first_calls_all_time_out_stops_early(fast_grader):
    """Two calls timing out before any answered: the rest are not run, so an infinite loop costs two timeouts."""
    from grader.sandbox.judge_side.client import STOP_AFTER_TIMEOUTS

    [sub] = discovery.resolve(str(Path(__file__).parent / "hostile" / "infinite_loop.py"), "05")
    result = fast_grader.grade(sub)
    assert result.score == 0 and all(c.outcome == "timeout" for c in result.checks)
    slow = [c for c in result.checks if "did not finish within" in str(c.message)]
    stopped = [c for c in result.checks if "stopped early" in str(c.message)]
    assert len(slow) == STOP_AFTER_TIMEOUTS  # counted, not timed: the budget (3 timeouts) is never reached
    assert stopped and len(slow) + len(stopped) == len(result.checks)
    assert not any("budget" in str(c.message) for c in result.checks)


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
    assert outcomes == {"batch_multi_output": "passed", "caller_tensors_untouched": "failed",
                        "trains_the_model": "passed"}, result.checks  # the check caller_tensors_untouched requires


def test_huge_traceback_frames_reach_the_report_cut(fast_grader):
    """A 1 MB source line in a deep recursion: the check shows a few short frames, not a gigabyte."""
    [sub] = discovery.resolve(str(Path(__file__).parent / "hostile" / "huge_frames.py"), "05")
    fast_grader.select = ONE_CHECK
    try:
        result = fast_grader.grade(sub)
    finally:
        fast_grader.select = None
    [check] = result.checks
    assert check.outcome == "error" and "RecursionError" in str(check.message)
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
