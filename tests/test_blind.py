"""Submissions written blind to the hidden checks: the grader must still judge them right.

tests/blind/NN_name/wrong_*.diff  realistic mistakes (first line `# blind-wrong: ...`): lose >= 1 point
tests/blind/NN_name/right_*.diff  other valid solutions (first line `# blind-right: ...`): full points
tests/do_nothing/NN_name/*.diff   code that does not do the task (`# do-nothing: ...`): exactly 0

Each is stored as a patch on the reference solution (tests/blind_files.py applies it).

Their authors read only the exercise READMEs, stubs, reference solutions and the grader outside
grader/suites, so the set measures how well the checks catch mistakes nobody tuned them for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from blind_files import files, header, source
from speaks_japanese import assert_speaks_japanese

from grader import catalog, discovery

HERE = Path(__file__).parent
BLIND = files("blind")
DO_NOTHING = files("do_nothing")


def _grade(grader, path: Path):
    exercise = catalog.by_number(path.parent.name)
    assert exercise is not None and exercise.id == path.parent.name, f"unknown exercise folder {path.parent.name}"
    sub = discovery.Handin(exercise, f"{path.parent.name}/{path.name}", {exercise.entry: source(path)})
    return grader.grade(sub)


def _what(path: Path) -> str:
    return header(path).split(":", 1)[-1].strip()


def _failures(result) -> str:
    return "; ".join(f"{c.id}: {c.outcome} ({str(c.message).splitlines()[0] if c.message else ''})"
                     for c in result.checks if c.outcome not in ("passed", "skipped"))


def _id(path: Path) -> str:
    return f"{path.parent.name[:2]}-{path.stem}"


@pytest.mark.parametrize("path", BLIND, ids=_id)
def test_blind_submission(grader, path):
    result = _grade(grader, path)
    assert not result.grader_error, _failures(result)
    assert_speaks_japanese(result)
    if path.stem.startswith("wrong_"):
        assert header(path).startswith("# blind-wrong:"), "first line must say what is wrong"
        assert result.score < result.max_score, (
            f"ESCAPED ({result.score}/{result.max_score}): {_what(path)}")
    else:
        assert path.stem.startswith("right_") and header(path).startswith("# blind-right:")
        assert result.score == result.max_score, (
            f"right LOST POINTS ({result.score}/{result.max_score}): {_failures(result)}")


@pytest.mark.parametrize("path", DO_NOTHING, ids=_id)
def test_do_nothing_scores_zero(grader, path):
    assert header(path).startswith("# do-nothing:")
    result = _grade(grader, path)
    assert not result.grader_error, _failures(result)
    assert_speaks_japanese(result)
    passed = [c.id for c in result.checks if c.score]
    assert result.score == 0, f"do-nothing got {result.score}/{result.max_score} from {passed}"


def test_every_exercise_has_blind_files():
    for ex in catalog.EXERCISES:
        assert len(list((HERE / "blind" / ex.id).glob("wrong_*.diff"))) >= 10, ex.id
        assert list((HERE / "blind" / ex.id).glob("right_*.diff")), ex.id
        assert len(list((HERE / "do_nothing" / ex.id).glob("*.diff"))) >= 3, ex.id
