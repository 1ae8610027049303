"""Exercise 01's "no Python loop" rule, decided from the source: loops found however they are written."""

from __future__ import annotations

import pytest
import torch

from grader.judge.policy import violations
from grader.suites.ex01_last_token.checks import _HIDING
from grader.suites.ex01_last_token.loops import loop_violations

HEAD = "import torch\n\ndef validate_inputs(hidden, mask):\n    pass\n\n"


def found(src: str, extra: dict[str, str] | None = None) -> list[str]:
    return [str(v.name) for v in loop_violations({"last_token.py": HEAD + src, **(extra or {})})]


@pytest.mark.parametrize("src, name", [
    ("def last_token(h, m):\n    for b in range(h.shape[0]):\n        pass\n", "a for loop"),
    ("def last_token(h, m):\n    while True:\n        break\n", "a while loop"),
    ("def last_token(h, m):\n    return torch.stack([r[0] for r in h])\n", "a list comprehension"),
    ("def last_token(h, m):\n    return torch.stack(tuple(r[0] for r in h))\n", "a generator expression"),
    ("def last_token(h, m):\n    return {i: r for i, r in enumerate(h)}\n", "a dict comprehension"),
    ("def last_token(h, m):\n    return torch.stack(list(map(lambda r: r[0], h)))\n", "map()"),
    ("def last_token(h, m):\n    return list(filter(None, h))\n", "filter()"),
    ("import functools\ndef last_token(h, m):\n    return functools.reduce(lambda a, b: a + b, h)\n", "functools.reduce()"),
    ("from functools import reduce as r\ndef last_token(h, m):\n    return r(lambda a, b: a + b, h)\n", "functools.reduce()"),
    ("import itertools\ndef last_token(h, m):\n    return list(itertools.starmap(f, h))\n", "itertools.starmap"),
    ("def last_token(h, m):\n    return h.apply_(abs)\n", ".apply_() (a Python call per element)"),
    ("def _pick(h):\n    return h[:0] if len(h) == 0 else torch.cat([h[:1], _pick(h[1:])])\n"
     "def last_token(h, m):\n    return _pick(h)\n", "recursion"),
    ("def _a(h):\n    return _b(h)\ndef _b(h):\n    return _a(h)\ndef last_token(h, m):\n    return _a(h)\n", "recursion"),
    ("def last_token(h, m):\n    def go(b):\n        return [] if b == len(h) else [h[b, 0]] + go(b + 1)\n"
     "    return torch.stack(go(0))\n", "recursion"),
    ("class _P:\n    def pick(self, h):\n        return h[:0] if len(h) == 0 else torch.cat([h[:1], self.pick(h[1:])])\n"
     "def last_token(h, m):\n    return _P().pick(h)\n", "recursion"),
    ("def _rows(h):\n    return [r for r in h]\ndef last_token(h, m):\n    return torch.stack(_rows(h))\n",
     "a list comprehension"),
    ("def _impl(h, m):\n    for r in h:\n        pass\nlast_token = _impl\n", "a for loop"),
    ("class _Picker:\n    def pick(self, h):\n        return [r for r in h]\n"
     "def last_token(h, m):\n    return _Picker().pick(h)\n", "a list comprehension"),
])
def test_loops_are_found_where_last_token_reaches(src: str, name: str) -> None:
    assert name in found(src), found(src)


def test_validate_inputs_is_a_root_too() -> None:
    src = ("import torch\ndef validate_inputs(h, m):\n    for row in m:\n        pass\n"
           "def last_token(h, m):\n    validate_inputs(h, m)\n    return h[:, 0]\n")
    assert [(v.line, str(v.name), str(v.reason)) for v in loop_violations({"last_token.py": src})] == \
        [(3, "a for loop", "in validate_inputs")]


def test_helper_modules_count_as_a_whole() -> None:
    helper = {"helpers.py": "def pick(h, t):\n    return [h[b, t[b]] for b in range(len(t))]\n"}
    assert found("from helpers import pick\ndef last_token(h, m):\n    return pick(h, m)\n", helper) == \
        ["a list comprehension"]


@pytest.mark.parametrize("src", [
    "def last_token(h, m):\n    last = torch.where(m != 0, torch.arange(m.shape[1]), -1).amax(1)\n"
    "    return h[torch.arange(h.shape[0]), last]\n",
    # a loop nothing in the task calls, and a demo that runs only as a script, are not looked at
    "def _debug(m):\n    return [r.tolist() for r in m]\ndef last_token(h, m):\n    return h[:, 0]\n"
    "if __name__ == '__main__':\n    for i in range(3):\n        print(last_token(torch.ones(2, 3, 1), None))\n",
    "def last_token(h, m):\n    def shape(x):\n        return x.shape\n    return h[:, shape(h)[1] - 1]\n",
    "def last_token(h, m):\n    return h.gather(1, m.long().argmax(1)[:, None, None].expand(-1, 1, h.shape[2]))[:, 0]\n",
])
def test_vectorised_code_passes(src: str) -> None:
    assert found(src) == []


def test_a_syntax_error_is_left_to_the_import() -> None:
    assert loop_violations({"last_token.py": "def last_token(:\n"}) == []


@pytest.mark.parametrize("src, name", [
    ("import torch\nwith torch._C.DisableTorchFunction():\n    pass\n", "torch._C.DisableTorchFunction"),
    ("from torch._C import DisableTorchFunction\n", "torch._C"),
    ("import torch.overrides\ntorch.overrides._pop_mode()\n", "torch.overrides"),
    ("from torch.utils._python_dispatch import _pop_mode_temporarily\n", "torch.utils._python_dispatch"),
    ("import torch\ngetattr(torch, '_' + 'C')\n", "getattr"),
])
def test_hiding_from_the_grader_is_a_violation(src: str, name: str) -> None:
    assert name in [v.name for v in violations({"last_token.py": src}, _HIDING)]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_positions_made_on_the_cpu_lose_points_on_cuda() -> None:
    """The mutant that drops device= from the positions survives on a CPU-only machine (no check can see
    a device there); on CUDA torch.where refuses a CPU tensor next to a CUDA mask."""
    import sys
    from pathlib import Path

    from grader import catalog
    from grader.api import Grader
    from grader.discovery import Handin
    from grader.sandbox.limits import Limits

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import mutants

    ex = catalog.by_number("01")
    assert ex is not None
    mutant = next(m for m in mutants.generate(ex.reference_file.read_text(encoding="utf-8"), ["kwarg"])
                  if "positions = torch.arange(length, device=mask.device)" in m.original_line)
    with Grader(device="cuda", limits=Limits(call_timeout_s=30, budget_s=120), select="right_padding") as grader:
        result = grader.grade(Handin(ex, mutant.id, {ex.entry: mutant.source.encode()}))
    assert result.score == 0 < result.max_score and not result.grader_error
