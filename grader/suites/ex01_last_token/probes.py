"""Probes for exercise 01 (last-token pooling). Run inside the sandbox: stdlib, torch, grader.probe only."""

from __future__ import annotations

import torch
from torch.overrides import TorchFunctionMode

from grader.probe import probe, raised


def _describe(out):
    """Plain-data summary of a result: the judge compares these fields."""
    if not isinstance(out, torch.Tensor):
        return {"is_tensor": False, "type": type(out).__name__}
    return {
        "is_tensor": True,
        "out": out,
        "shape": list(out.shape),
        "dtype": str(out.dtype),
        "device": str(out.device),
    }


@probe
def select(sub, hidden, mask):
    """last_token(hidden, mask) on the grade's device."""
    out = sub.module.last_token(sub.to_device(hidden), sub.to_device(mask))
    return _describe(out)


@probe
def select_many(sub, cases):
    """last_token on several (hidden, mask) pairs; one summary per pair."""
    return [select(sub, hidden, mask) for hidden, mask in cases]


@probe
def errors(sub, invalid, valid):
    """Exception names for invalid cases (must be ValueError) and valid cases (must not be ValueError).

    NotImplementedError on an invalid case is re-raised so the student sees "not implemented yet";
    on a valid case it is reported by name (task 01.2 may legitimately be unfinished).
    """
    fn = sub.module.last_token
    bad = [raised(fn, sub.to_device(hidden), sub.to_device(mask)) for hidden, mask in invalid]
    good = [raised(fn, sub.to_device(hidden), sub.to_device(mask)) for hidden, mask in valid]
    return {"invalid": bad, "valid": good}


@probe
def gradient(sub, hidden, mask, weight):
    """d/d hidden of sum(last_token(hidden, mask) * weight)."""
    h = sub.to_device(hidden).clone().requires_grad_(True)
    out = sub.module.last_token(h, sub.to_device(mask))
    is_tensor = isinstance(out, torch.Tensor)
    result = {"is_tensor": is_tensor, "type": type(out).__name__,
              "requires_grad": bool(is_tensor and out.requires_grad), "grad": None}
    if result["requires_grad"]:
        (out * sub.to_device(weight)).sum().backward()
        result["grad"] = h.grad
    return result


@probe
def inputs_unchanged(sub, cases):
    """For each (hidden, mask): hidden and mask as they are after the call, and the output.

    The judge compares them with the originals: a verdict computed here could be forged.
    """
    report = []
    for hidden, mask in cases:
        h, m = sub.to_device(hidden), sub.to_device(mask)
        out = sub.module.last_token(h, m)
        report.append({"hidden_after": h, "mask_after": m, "result": _describe(out)})
    return report


class _CountTorchCalls(TorchFunctionMode):
    def __init__(self):
        super().__init__()
        self.count = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.count += 1
        return func(*args, **(kwargs or {}))


@probe
def torch_call_counts(sub, cases):
    """Number of torch function/method calls last_token makes for each (hidden, mask) case."""
    counts = []
    fn = sub.module.last_token
    for hidden, mask in cases:
        h, m = sub.to_device(hidden), sub.to_device(mask)
        fn(h, m)  # warm-up: lazy initialisation must not be counted
        mode = _CountTorchCalls()
        with mode:
            fn(h, m)
        counts.append(mode.count)
    return counts
