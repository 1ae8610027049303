"""Every corpus submission loses exactly the checks its first line names; references get full points.

tests/corpus/NN_name/*.py start with `# expect-fail: id id ...` (empty for correct variants).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import catalog, discovery

CORPUS = Path(__file__).parent / "corpus"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*/*.py"))


def expected_failures(path: Path) -> set[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect-fail:"), f"{path} must start with '# expect-fail: <check ids>'"
    return set(first.removeprefix("# expect-fail:").split())


def failed_ids(result) -> set[str]:
    return {c.id for c in result.checks if c.outcome != "passed"}


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_corpus_submission_loses_exactly_its_checks(grader, path):
    [sub] = discovery.resolve(str(path))
    result = grader.grade(sub)
    assert not result.grader_error, [c.message for c in result.checks if c.grader_error]
    expected = expected_failures(path)
    assert failed_ids(result) == expected, {c.id: c.message for c in result.checks if c.outcome != "passed"}
    if expected:
        assert result.score < result.max_score
    else:
        assert result.score == result.max_score


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
    assert all("not implemented yet" in c.message for c in result.checks), [c.message for c in result.checks]
    assert all(f"TODO({exercise.number}." in c.message for c in result.checks)


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
