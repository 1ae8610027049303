"""The mutant generator of benchmarks/mutation.py: every operator fires, mutants compile, ids are stable."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import mutants  # noqa: E402
import mutation  # noqa: E402

SAMPLE = '''"""A sample with one site for each operator."""
import torch
import torch.nn.functional as F


def f(x, y, w, n: int = 2):
    """Docstring: not mutated."""
    if x.dim() != 2 or not n >= 1:
        raise ValueError(f"x must be 2-D, got {x.dim()}")
    z = x.detach().clone() * 2 + y.sum(dim=1, keepdim=True)
    z = z.to(torch.float32)
    loss = F.mse_loss(z, y, reduction="mean")
    with torch.no_grad():
        w -= 0.1 * z.mean(0)
    m = ~torch.isnan(z)
    return torch.relu(z.add(w)) / n
'''


def test_every_operator_yields_mutants_that_compile_and_differ():
    found = mutants.generate(SAMPLE)
    by_op = {m.operator for m in found}
    assert by_op == set(mutants.ORDER), set(mutants.ORDER) - by_op
    assert len({m.source for m in found}) == len(found)  # no duplicates
    original = ast.dump(ast.parse(SAMPLE))
    for m in found:
        compile(m.source, m.id, "exec")
        assert ast.dump(ast.parse(m.source)) != original, m
        changed = [i for i, (a, b) in enumerate(zip(SAMPLE.splitlines(), m.source.splitlines())) if a != b]
        assert m.line - 1 in changed, m


def test_expected_mutants_are_among_them():
    lines = {(m.operator, m.mutated_line) for m in mutants.generate(SAMPLE)}
    for expected in [
        ("arith", "z = x.detach().clone() * 2 - y.sum(dim=1, keepdim=True)"),
        ("arith", "w += 0.1 * z.mean(0)"),
        ("compare", "if x.dim() == 2 or not n >= 1:"),
        ("boolop", "if x.dim() != 2 and not n >= 1:"),
        ("negation", "if x.dim() != 2 or (n >= 1):"),
        ("negation", "m = torch.isnan(z)"),
        ("dim", "z = x.detach().clone() * 2 + y.sum(dim=0, keepdim=True)"),
        ("dim", "w -= 0.1 * z.mean(-1)"),
        ("constant", "z = x.detach().clone() * 2 + y.sum(dim=1, keepdim=False)"),
        ("kwarg", 'loss = F.mse_loss(z, y, reduction="sum")'.replace('"', "'")),
        ("kwarg", "z = x.detach().clone() * 2 + y.sum(dim=1)"),
        ("swap_args", 'loss = F.mse_loss(y, z, reduction="mean")'),
        ("drop_call", "z = x.clone() * 2 + y.sum(dim=1, keepdim=True)"),
        ("drop_call", "z = x.detach() * 2 + y.sum(dim=1, keepdim=True)"),
        ("drop_call", "z = z"),
        ("context", "if True:"),
        ("statement", "pass"),
        ("dtype", "z = z.to(torch.float64)"),
        ("detach", "return (torch.relu(z.add(w)) / n).detach()"),
        ("inplace", "return torch.relu(z.add_(w)) / n"),
        ("inplace", "return z.add(w).relu_() / n"),
    ]:
        assert expected in lines, expected


def test_docstrings_messages_and_annotations_are_left_alone():
    for m in mutants.generate(SAMPLE):
        if m.operator == "statement":  # may remove the whole `if ...: raise ...`
            continue
        assert "Docstring" in m.source and 'f"x must be 2-D, got {x.dim()}"' in m.source, m
        assert "n: int = " in m.source


def test_ids_are_stable_when_an_unrelated_line_is_added():
    before = {m.id: m.mutated_line for m in mutants.generate(SAMPLE)}
    edited = SAMPLE.replace("    m = ~torch.isnan(z)\n", "    m = ~torch.isnan(z)\n    k = z.abs() + 1\n")
    edited = edited.replace("import torch\n", "import math\nimport torch\n")
    edited = edited.replace("    loss = F.mse_loss(z, y, reduction=\"mean\")\n",
                            "    # a comment above\n    loss = F.mse_loss(z, y, reduction=\"mean\")  # and after\n")
    after = {m.id: m.mutated_line for m in mutants.generate(edited)}
    assert len(after) > len(before)
    for mid, line in before.items():
        assert after[mid].replace("  # and after", "") == line, mid


def test_ids_number_mutants_of_identical_lines_apart():
    src = "def f(a, b):\n    a = a + 1\n    a = a + 1\n    return a\n"
    ids = [m.id for m in mutants.generate(src, ["arith"])]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_every_reference_has_mutants():
    from grader import catalog

    for ex in catalog.EXERCISES:
        found = mutants.generate(ex.reference_file.read_text(encoding="utf-8"))
        assert len(found) >= 20, ex.id
        assert len({m.id for m in found}) == len(found), ex.id


def test_equivalents_file(tmp_path):
    path = tmp_path / "equivalent_mutants.toml"
    assert mutation.load_equivalents(path) == {}
    path.write_text('# reviewed\n"constant:d19c3d6c:2" = "any negative fill value is below every position"\n')
    assert mutation.load_equivalents(path) == {"constant:d19c3d6c:2": "any negative fill value is below every position"}
    path.write_text('"constant:d19c3d6c:2" = ""\n')
    with pytest.raises(SystemExit, match="reason"):
        mutation.load_equivalents(path)
    path.write_text('"constant:d19c3d6c:2" = \n')
    with pytest.raises(SystemExit, match="equivalent_mutants.toml"):
        mutation.load_equivalents(path)


def test_a_killable_mutant_of_exercise_01_is_killed():
    from grader import catalog
    from grader.api import Grader
    from grader.discovery import Handin
    from grader.sandbox.limits import Limits

    ex = catalog.by_number("01")
    assert ex is not None
    mutant = next(m for m in mutants.generate(ex.reference_file.read_text(encoding="utf-8"), ["statement"])
                  if m.original_line.startswith("return "))
    # One check is enough to kill it (and keeps this test fast).
    with Grader(device="cpu", limits=Limits(**mutation.MUTANT_LIMITS), select="right_padding") as grader:
        result = grader.grade(Handin(ex, mutant.id, {ex.entry: mutant.source.encode()}))
    assert [c.id for c in result.checks] == ["right_padding"]
    assert result.score == 0 < result.max_score and not result.grader_error
