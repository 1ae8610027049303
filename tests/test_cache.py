"""The result cache: an unchanged class is not graded twice, a stopped run keeps what finished, --force regrades."""

from __future__ import annotations

import pytest

from grader import api, cache, catalog, classrun
from grader.discovery import Handin
from grader.errors import Interrupted
from grader.results import CheckResult, ExerciseResult
from grader.sandbox.limits import Limits

EX = catalog.by_number("01")
OPTIONS = {"device": "cpu", "seed": 0, "limits": Limits(), "select": None}


def subs(n: int) -> list[Handin]:
    return [Handin(EX, f"class/s{i}/01_last_token", {EX.entry: f"x = {i}\n".encode()}) for i in range(n)]


class FakeExecutor:
    """Stands for grade_all: counts what it is asked to grade; can stop after some, as Ctrl-C would."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.graded: list[str] = []
        self.stop_after = stop_after

    def __call__(self, submissions, on_result=None, on_check=None, **kwargs):
        out = []
        for j, s in enumerate(submissions):
            if self.stop_after is not None and j == self.stop_after:
                raise Interrupted(out + [ExerciseResult(EX.id, "t", x.label, [CheckResult(
                    "submission", "s", "t", "error", 0, 1, "visible", "not graded: interrupted")])
                    for x in submissions[j:]])
            self.graded.append(s.label)
            r = ExerciseResult(EX.id, "t", s.label, [CheckResult("a", "a", "t", "passed", 2, 2, "hidden", "")])
            out.append(r)
            on_result(j, r)
        return out


def test_unchanged_class_is_not_graded_again_and_force_regrades(tmp_path, monkeypatch):
    fake = FakeExecutor()
    monkeypatch.setattr(api, "grade_all", fake)
    first = classrun.grade_class(subs(3), tmp_path, **OPTIONS)
    assert len(fake.graded) == 3
    seen = []
    second = classrun.grade_class(subs(3), tmp_path, on_result=lambda i, r: seen.append(i), **OPTIONS)
    assert len(fake.graded) == 3  # nothing regraded
    assert sorted(seen) == [0, 1, 2]
    assert [(r.label, r.score) for r in second] == [(r.label, r.score) for r in first]
    changed = subs(3)
    changed[1].files[EX.entry] = b"x = 'changed'\n"
    classrun.grade_class(changed, tmp_path, **OPTIONS)
    assert fake.graded[3:] == ["class/s1/01_last_token"]
    classrun.grade_class(subs(3), tmp_path, force=True, **OPTIONS)
    assert len(fake.graded) == 7


def test_a_stopped_run_keeps_every_finished_result(tmp_path, monkeypatch):
    monkeypatch.setattr(api, "grade_all", FakeExecutor(stop_after=2))
    with pytest.raises(Interrupted) as stop:
        classrun.grade_class(subs(5), tmp_path, **OPTIONS)
    assert len(stop.value.results) == 5
    fake = FakeExecutor()
    monkeypatch.setattr(api, "grade_all", fake)
    classrun.grade_class(subs(5), tmp_path, **OPTIONS)
    assert fake.graded == [f"class/s{i}/01_last_token" for i in (2, 3, 4)]  # only the rest
    assert not list(tmp_path.rglob(".tmp-*"))  # writes are atomic: no half files left


@pytest.mark.parametrize("change", [{"seed": 1}, {"device": "cuda"}, {"limits": Limits(call_timeout_s=3)},
                                    {"select": "shape"}])
def test_the_fingerprint_follows_what_decides_a_grade(change):
    assert cache.fingerprint(EX, OPTIONS) != cache.fingerprint(EX, {**OPTIONS, **change})
    assert cache.fingerprint(EX, OPTIONS) == cache.fingerprint(EX, dict(OPTIONS))


def test_a_corrupt_cache_file_is_a_miss(tmp_path):
    store = cache.ResultCache(tmp_path)
    r = ExerciseResult(EX.id, "t", "x", [CheckResult("a", "a", "t", "passed", 2, 2, "hidden", "")])
    store.put("ab" * 32, r)
    assert store.get("ab" * 32, "y").label == "y"
    (tmp_path / "ab" / f"{'ab' * 32}.json").write_text("{broken")
    assert store.get("ab" * 32, "y") is None


def test_grader_failures_are_not_stored(tmp_path):
    store = cache.ResultCache(tmp_path)
    bad = ExerciseResult(EX.id, "t", "x", [CheckResult("a", "a", "t", "error", 0, 2, "hidden", "boom", grader_error=True)])
    store.put("cd" * 32, bad)
    assert store.get("cd" * 32, "x") is None
