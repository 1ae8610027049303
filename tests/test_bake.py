"""Baked expected values stand in for the reference solution, with identical verdicts."""

from __future__ import annotations

import pytest
from corpus_files import entries

from grader import api, catalog, discovery
from grader.api import Grader
from grader.judge.expected import ExpectedStore
from grader.wire import WireError

EX = catalog.by_number("05")


def verdicts(result):
    return [(c.id, c.outcome, str(c.message)) for c in result.checks]


@pytest.fixture
def baked_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(catalog.Exercise, "baked_file", property(lambda self: tmp_path / f"{self.id}.grw"))
    return tmp_path


def test_baked_values_replace_the_reference(grader, baked_dir, monkeypatch):
    [reference] = discovery.resolve(str(EX.reference_file.parent))
    [no_reset] = [e for e in entries() if e.name == f"{EX.id}/wrong_no_grad_reset"]
    [wrong] = discovery.resolve(str(no_reset.write(baked_dir / "submissions")))
    [stub] = discovery.resolve(str(EX.stub_folder))
    with Grader(device="cpu") as live:
        live.grade(reference)
        live_wrong = live.grade(wrong)
        [path] = live.bake()
    assert path == baked_dir / f"{EX.id}.grw" and len(ExpectedStore.load(path)) > 0

    monkeypatch.setattr(api, "load_reference", lambda exercise: None)  # a release ships no solutions/
    with Grader(device="cpu") as release:
        assert release.grade(reference).score == release.grade(reference).max_score
        assert verdicts(release.grade(wrong)) == verdicts(live_wrong)
        assert release.grade(stub).score == 0


def test_without_reference_or_baked_values_the_grader_says_it_failed(baked_dir, monkeypatch):
    monkeypatch.setattr(api, "load_reference", lambda exercise: None)
    [reference] = discovery.resolve(str(EX.reference_file.parent))
    with Grader(device="cpu", select="batch_multi_output") as g:
        result = g.grade(reference)
    assert result.grader_error and result.score == 0


def test_a_foreign_file_is_refused(tmp_path):
    bogus = tmp_path / "expected.grw"
    bogus.write_bytes(b"\x80\x04not a store")
    with pytest.raises(WireError):
        ExpectedStore.load(bogus)


def test_values_baked_from_another_reference_are_not_used(tmp_path):
    store = ExpectedStore({"k": b"v"})
    path = store.save(tmp_path / "e.grw", {"train_linear.py": "aaa", "probes.py": "bbb"})
    loaded = ExpectedStore.load(path)
    assert not loaded.stale({"probes.py": "bbb"})                      # a release: no reference to compare
    assert loaded.stale({"train_linear.py": "changed", "probes.py": "bbb"})
    assert loaded.stale({"probes.py": "changed"})
