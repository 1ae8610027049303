"""Probes for exercise 01 (last-token pooling). Run inside the sandbox: stdlib, torch, grader.probe only."""

from __future__ import annotations

import os
import traceback

import torch
from torch.overrides import TorchFunctionMode

from grader.contract import apply_variant, observe
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
    """Exception names of validate_inputs, called directly, and of last_token on each case.

    Invalid cases must raise ValueError, valid ones must not. validate_inputs' NotImplementedError
    goes through (grader.probe.raised): an unfinished 01.1 is "not implemented yet". last_token's is
    reported by name, so that a finished 01.1 scores while 01.2 is still a stub.
    """
    def names(fn, cases):  # fresh copies per call: a call that changes its inputs cannot spoil the next
        return [raised(fn, sub.to_device(hidden).clone(), sub.to_device(mask).clone()) for hidden, mask in cases]

    def unfinished_too(hidden, mask):
        try:
            return sub.module.last_token(hidden, mask)
        except NotImplementedError as exc:
            raise _Unfinished from exc

    report = {"validate_invalid": names(sub.module.validate_inputs, invalid),
              "validate_valid": names(sub.module.validate_inputs, valid)}
    for key, cases in (("invalid", invalid), ("valid", valid)):
        report[key] = ["NotImplementedError" if name == "_Unfinished" else name for name in names(unfinished_too, cases)]
    return report


class _Unfinished(Exception):
    """last_token's NotImplementedError, passed through raised() as an ordinary exception."""


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


def _student_line(sub, tb):
    """The last line of the student's own files in a traceback ('file:line'), or None."""
    folder = os.path.dirname(os.path.abspath(getattr(sub.module, "__file__", "") or "."))
    lines = [f"{os.path.basename(fr.filename)}:{fr.lineno}" for fr in traceback.extract_tb(tb)
             if os.path.abspath(fr.filename).startswith(folder + os.sep)]
    return lines[-1] if lines else None


@probe
def observe_calls(sub, cases):
    """last_token on variants of its inputs (grader.contract), one report per case.

    A case is (hidden, mask, hidden_variant, mask_variant): the variant (layout, requires_grad,
    dtype) is built here, since a non-contiguous layout does not survive the wire. The report is
    the raw observation (inputs before and after, output facts) with the output summarised, or
    the exception the call raised, so the judge can say which variant broke the code.
    """
    reports = []
    for hidden, mask, hidden_variant, mask_variant in cases:
        h = apply_variant(sub.to_device(hidden), hidden_variant)
        m = apply_variant(sub.to_device(mask), mask_variant)
        try:
            seen = observe(sub.module.last_token, [h, m], {})
        except NotImplementedError:
            raise
        except Exception as exc:
            reports.append({"raised": type(exc).__name__, "message": str(exc)[:300],
                            "line": _student_line(sub, exc.__traceback__)})
            continue
        seen["output"] = _describe(seen["output"])
        reports.append(seen)
    return reports


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
        fn(h.clone(), m.clone())  # warm-up: lazy initialisation must not be counted
        h, m = h.clone(), m.clone()  # fresh inputs: an in-place change in the warm-up must not spoil the count
        mode = _CountTorchCalls()
        with mode:
            fn(h, m)
        counts.append(mode.count)
    return counts
