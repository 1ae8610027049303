"""The contract harness: variants built in the probe, verdicts in the judge."""

from __future__ import annotations

import pytest
import torch

from grader import contract
from grader.judge import contract as judge
from grader.judge.compare import CheckFailure


def test_variants_build_fresh_leaves_of_the_layout_asked_for() -> None:
    x = torch.randn(3, 4)
    for v in judge.variants(requires_grad=(False, True), dtypes=(None, "float64")):
        t = contract.apply_variant(x, v)
        assert t.is_leaf and t.requires_grad == v["requires_grad"]
        assert t.is_contiguous() == (v["layout"] == "contiguous")
        assert torch.equal(t.detach().to(x.dtype), x)
    assert not contract.noncontiguous(torch.arange(5.0)).is_contiguous()


def _observe(fn, *args):
    return contract.observe(fn, list(args), {})


@pytest.mark.parametrize("fn, expected", [
    (lambda a, m: (m.unsqueeze_(0), a * 1)[1], "shape of argument 2"),
    (lambda a, m: (m.add_(1), m.sub_(1), a * 1)[2], "version counter"),
    (lambda a, m: (m.mul_(2), a * 1)[1], "changed in place"),
    (lambda a, m: (a.sum().backward(), a * 1)[1], "has a .grad"),
])
def test_input_changes_are_reported(fn, expected) -> None:
    a, m = torch.randn(2, 3, requires_grad=True), torch.ones(2, 3)
    with pytest.raises(CheckFailure, match=expected):
        judge.expect_inputs_untouched(_observe(fn, a, m), what="f")


def test_clean_call_passes_and_aliases_are_found() -> None:
    a, m = torch.randn(2, 3), torch.ones(2, 3)
    judge.expect_inputs_untouched(_observe(lambda a, m: a * m, a, m), what="f")
    judge.expect_no_alias(_observe(lambda a, m: a * m, a, m), what="f")
    with pytest.raises(CheckFailure, match="shares memory with the input mask"):
        judge.expect_no_alias(_observe(lambda a, m: m.view(-1), a, m), what="f", names={"args[1]": "mask"})


def test_malformed_observations_fail_the_check_not_the_judge() -> None:
    for junk in (None, 3, {"before": 1}, {"before": {}, "after": []}):
        with pytest.raises(CheckFailure):
            judge.expect_inputs_untouched(junk, what="f")
    with pytest.raises(CheckFailure):
        judge.expect_no_alias({"aliases": "x"}, what="f")


def test_the_contract_probe_runs_in_the_sandbox() -> None:
    """Registered and preloaded in the warm process: a non-contiguous input is built inside."""
    from grader.sandbox.judge_side.client import Sandbox, WarmProcess

    src = b"import torch\ndef f(x):\n    return x.view(-1)\ndef g(x):\n    return x.reshape(-1) * 1\n"
    warm = WarmProcess()
    box = Sandbox(warm, {"m.py": src}, "m")
    try:
        x = torch.arange(6.0).reshape(2, 3)
        ok = box.call("grader.contract:contract_call", ("g", [x], {}, {"0": {"layout": "noncontiguous"}}), {}, 0)
        assert torch.equal(ok["output"], torch.arange(6.0)) and ok["aliases"] == []
        judge.expect_inputs_untouched(ok, what="g")
        with pytest.raises(Exception, match="view size is not compatible"):
            box.call("grader.contract:contract_call", ("f", [x], {}, {"0": {"layout": "noncontiguous"}}), {}, 0)
    finally:
        box.close()
        warm.close()
