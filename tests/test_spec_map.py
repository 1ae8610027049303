"""Every promise of a spec maps to a check, and every check to a promise of the spec."""

from __future__ import annotations

import ast
import importlib
import re

import pytest

from grader import catalog
from grader.judge.spec_map import SpecRule


def _norm(text: str) -> str:
    return re.sub(r"[\s*`_>]+", " ", text).strip().lower()


def _check_ids(ex: catalog.Exercise) -> set[str]:
    tree = ast.parse(ex.checks_file.read_text())
    return {n.name.removeprefix("check_") for n in tree.body
            if isinstance(n, ast.FunctionDef) and n.name.startswith("check_")}


@pytest.mark.parametrize("ex", catalog.EXERCISES, ids=lambda e: e.id)
def test_every_rule_is_in_the_spec_and_has_a_check(ex: catalog.Exercise) -> None:
    rules = importlib.import_module(f"{ex.suite_package}.spec_map").RULES
    spec = _norm((ex.stub_folder / "README.md").read_text())
    ids = _check_ids(ex)
    assert rules and all(isinstance(r, SpecRule) for r in rules)
    for rule in rules:
        assert _norm(rule.quote) in spec, f"not in {ex.id}/README.md: {rule.quote!r}"
        assert rule.checks, f"the rule {rule.quote!r} has no check"
        unknown = set(rule.checks) - ids
        assert not unknown, f"{rule.quote!r} names checks that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("ex", catalog.EXERCISES, ids=lambda e: e.id)
def test_every_check_enforces_a_rule_of_the_spec(ex: catalog.Exercise) -> None:
    rules = importlib.import_module(f"{ex.suite_package}.spec_map").RULES
    mapped = {c for r in rules for c in r.checks}
    unmapped = _check_ids(ex) - mapped
    assert not unmapped, f"checks of {ex.id} that enforce no rule of its spec: {sorted(unmapped)}"
