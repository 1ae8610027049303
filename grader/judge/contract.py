"""Contract harness, judge side: the variants to try, and verdicts on what the probe observed.

The probe (grader.contract.contract_call) reports raw facts from inside the sandbox; everything
here runs in the judge and reads those facts as untrusted data: an unexpected form is the
submission's failure with a message, never a crash of the check.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import torch

from grader.i18n import Msg, Text, _
from grader.judge.compare import fail

Variant = dict[str, Any]


def variants(layouts: Sequence[str] = ("contiguous", "noncontiguous"), requires_grad: Sequence[bool | None] = (None,),
             dtypes: Sequence[str | None] = (None,)) -> list[Variant]:
    """Every combination of layout, requires_grad and dtype, as plain dicts for the probe."""
    return [{"layout": lay, "requires_grad": rg, "dtype": dt} for lay, rg, dt in itertools.product(layouts, requires_grad, dtypes)]


def describe_variant(variant: Variant | None) -> Msg:
    """'a non-contiguous view, requires_grad=True, float64' for messages."""
    if not variant:
        return _("a plain tensor")
    layout = (_("a non-contiguous view (e.g. a transposed or sliced tensor)") if variant.get("layout") == "noncontiguous"
              else _("a contiguous tensor"))
    extra = [f"requires_grad={variant['requires_grad']}"] if variant.get("requires_grad") is not None else []
    extra += [str(variant["dtype"])] if variant.get("dtype") else []
    return _("{layout}, {extra}", layout=layout, extra=", ".join(extra)) if extra else layout


def _field(mapping: Any, key: str, kind: type | tuple[type, ...], what: Text) -> Any:
    if not isinstance(mapping, dict) or not isinstance(mapping.get(key), kind):
        fail(_("{what}: the call returned something unexpected (no {key} of the expected type); "
               "compare what your function returns with the specification", what=what, key=repr(key)))
    return mapping[key]


def _same_values(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    both_nan = torch.isnan(a) & torch.isnan(b) if a.is_floating_point() and b.is_floating_point() else torch.zeros_like(a, dtype=torch.bool)
    return (a == b) | both_nan


def input_name(path: str, names: dict[str, str] | None = None) -> Text:
    """`args[1]` -> `mask` when the check names it, else `argument 2`."""
    if names and path in names:
        return names[path]
    if path.startswith("args[") and path[5:].split("]")[0].isdigit():
        return _("argument {n}{rest}", n=str(int(path[5:].split("]")[0]) + 1), rest=path[5:].split("]", 1)[1])
    if path.startswith("kwargs"):
        return _("argument {name}", name=path.removeprefix("kwargs"))
    return path


def input_changes(observed: Any, what: Text, names: dict[str, str] | None = None) -> list[Msg]:
    """Every way the call changed one of its inputs, each as a sentence for the student."""
    before = _field(observed, "before", dict, what)
    after = _field(observed, "after", dict, what)
    problems: list[Msg] = []
    for path, b in before.items():
        a = after.get(path)
        if not isinstance(a, dict) or not isinstance(b, dict):
            problems.append(_("input {path} could not be inspected after the call", path=str(path)))
            continue
        name = input_name(path, names)
        if a.get("shape") != b.get("shape"):
            problems.append(_("the shape of {name} changed from {before} to {after} in place (unsqueeze_, squeeze_, "
                              "resize_ or a .data assignment?); work on a new tensor instead",
                              name=name, before=str(b.get("shape")), after=str(a.get("shape"))))
            continue
        if a.get("dtype") != b.get("dtype"):
            problems.append(_("the dtype of {name} changed from {before} to {after}", name=name,
                              before=str(b.get("dtype")), after=str(a.get("dtype"))))
            continue
        va, vb = a.get("value"), b.get("value")
        if isinstance(va, torch.Tensor) and isinstance(vb, torch.Tensor) and va.shape == vb.shape:
            same = _same_values(va, vb)
            if not bool(same.all()):
                idx = [int(i) for i in torch.nonzero(~same)[0]] if va.dim() else []
                problems.append(_("{name} was changed in place: {changed} of {total} values differ after the call "
                                  "(first at {at}: {before} became {after}); compute on a copy or with out-of-place "
                                  "operations", name=name, changed=str(int((~same).sum())), total=str(same.numel()),
                                  at=str(idx), before=repr(vb[tuple(idx)].item()), after=repr(va[tuple(idx)].item())))
                continue
        if isinstance(a.get("version"), int) and isinstance(b.get("version"), int) and a["version"] != b["version"]:
            problems.append(_("{name} was written to in place during the call (its version counter went from "
                              "{before} to {after}), even if its values were put back; inputs must not be modified, "
                              "even temporarily", name=name, before=str(b["version"]), after=str(a["version"])))
        if a.get("requires_grad") != b.get("requires_grad"):
            problems.append(_("requires_grad of {name} changed from {before} to {after}", name=name,
                              before=str(b.get("requires_grad")), after=str(a.get("requires_grad"))))
        if b.get("grad") is None and a.get("grad") is not None:
            problems.append(_("{name} has a .grad after the call: your code ran backward through an input that is "
                              "not a parameter; detach it or compute under torch.no_grad()", name=name))
    return problems


def expect_inputs_untouched(observed: Any, *, what: Text, names: dict[str, str] | None = None) -> None:
    """Fail with every change the call made to its inputs (values, shape, dtype, version, grad)."""
    problems = input_changes(observed, what, names)
    if problems:
        fail(_("{what}: {problems}", what=what, problems=tuple(problems[:3])), {"input_changes": [str(p) for p in problems[:10]]})


def aliases(observed: Any, what: Text) -> list[tuple[str, str]]:
    found = _field(observed, "aliases", list, what)
    return [(str(p[0]), str(p[1])) for p in found if isinstance(p, list) and len(p) == 2]


def expect_no_alias(observed: Any, *, what: Text, allowed: Iterable[str] = (), names: dict[str, str] | None = None) -> None:
    """Fail when an output shares memory with an input (changing one would change the other)."""
    bad = [(o, i) for o, i in aliases(observed, what) if o not in set(allowed)]
    if bad:
        o, i = bad[0]
        fail(_("{what}: the result {output} shares memory with the input {input}; return a new tensor (for example "
               "with .clone()), so that changing one does not change the other", what=what, output=o,
               input=input_name(i, names)), {"aliases": bad})


def output_facts(observed: Any, path: str, what: Text) -> dict[str, Any]:
    outputs = _field(observed, "outputs", dict, what)
    facts = outputs.get(path)
    if not isinstance(facts, dict):
        fail(_("{what}: expected a tensor at {path} of the result", what=what, path=path))
    return facts
