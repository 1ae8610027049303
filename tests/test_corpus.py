"""Every corpus submission loses exactly the checks its first line names; references get full points.

tests/corpus/NN_name/ holds whole submissions (*.py) and mistakes as patches on a base (*.diff);
both start with `# expect-fail: id id ...` (empty for correct variants). See corpus_files.py.
"""

from __future__ import annotations

import pytest
from corpus_files import entries
from speaks_japanese import assert_speaks_japanese

from grader import catalog, discovery


def failed_ids(result) -> set[str]:
    return {c.id for c in result.checks if c.outcome != "passed"}


@pytest.mark.parametrize("entry", entries(), ids=lambda e: e.name)
def test_corpus_submission_loses_exactly_its_checks(grader, entry, tmp_path):
    [sub] = discovery.resolve(str(entry.write(tmp_path)))
    result = grader.grade(sub)
    assert not result.grader_error, [c.message for c in result.checks if c.grader_error]
    assert failed_ids(result) == entry.expected, {c.id: c.message for c in result.checks if c.outcome != "passed"}
    assert_speaks_japanese(result)
    if entry.expected:
        assert result.score < result.max_score
    else:
        assert result.score == result.max_score


def test_corpus_has_at_least_eight_wrong_and_two_right_per_exercise():
    for exercise in catalog.EXERCISES:
        names = [e.path.name for e in entries() if e.exercise == exercise]
        assert sum(n.startswith("wrong_") for n in names) >= 8, exercise.id
        assert sum(n.startswith("right_") for n in names) >= 2, exercise.id


@pytest.mark.parametrize("exercise", catalog.EXERCISES, ids=lambda e: e.id)
def test_reference_gets_full_points(grader, exercise):
    [sub] = discovery.resolve(str(exercise.reference_file.parent))
    result = grader.grade(sub)
    assert result.max_score > 0
    assert result.score == result.max_score, {c.id: c.message for c in result.checks if c.outcome != "passed"}


@pytest.mark.parametrize("exercise", catalog.EXERCISES, ids=lambda e: e.id)
def test_stub_scores_zero_with_not_implemented(grader, exercise):
    [sub] = discovery.resolve(str(exercise.stub_folder))
    result = grader.grade(sub)
    assert result.score == 0
    assert all(c.outcome == "error" for c in result.checks)
    assert all("not implemented yet" in str(c.message) for c in result.checks), [c.message for c in result.checks]
    assert all(f"TODO({exercise.number}." in str(c.message) for c in result.checks)
    assert_speaks_japanese(result)


@pytest.mark.parametrize("exercise", catalog.EXERCISES, ids=lambda e: e.id)
def test_each_exercise_meets_the_check_bar(exercise):
    """At least 10 checks, about a third visible; task ids appear in the stub's TODOs."""
    import importlib

    from grader.judge.check import info_of

    module = importlib.import_module(f"{exercise.suite_package}.checks")
    infos = [info_of(f) for name, f in vars(module).items() if name.startswith("check_")]
    assert len(infos) >= 10 and all(infos)
    visible = sum(i.visible for i in infos)
    assert 0.2 <= visible / len(infos) <= 0.5
    stub = (exercise.stub_folder / exercise.entry).read_text(encoding="utf-8")
    for task in {i.task for i in infos}:
        assert f"TODO({task})" in stub, f"task {task} has no TODO({task}) in the stub"
