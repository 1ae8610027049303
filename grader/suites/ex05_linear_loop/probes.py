"""Probes for exercise 05 (train_linear). They run inside the sandbox against the student's module
(and in the judge against the reference): stdlib, torch and grader.probe only, plain data out.

Every call to train_linear gets fresh copies of its inputs, so a submission that modifies the
caller's tensors fails only the check about that, not every check that calls it twice.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from grader.contract import apply_variant, observe
from grader.probe import probe


def _inputs(sub, x, y, weight, bias):
    return tuple(sub.to_device(t.clone()) for t in (x, y, weight, bias))


def _unpack(result: Any) -> tuple[Any, Any, Any]:
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise TypeError(
            "train_linear must return a tuple (weight, bias, losses), "
            f"got {type(result).__name__}"
            + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else "")
        )
    return result[0], result[1], result[2]


def _floats(losses: Any) -> list[float]:
    """The losses as Python floats, whatever container/element type the submission used.

    The check about the exact type (list of float) is `losses_are_floats`; every other check
    looks only at the values.
    """
    if isinstance(losses, torch.Tensor):
        return [float(v) for v in losses.detach().reshape(-1).tolist()]
    return [float(v) for v in losses]


def _call(sub, x, y, weight, bias, kwargs: dict) -> dict:
    x, y, weight, bias = _inputs(sub, x, y, weight, bias)
    w, b, losses = _unpack(sub.module.train_linear(x, y, weight, bias, **kwargs))
    return {"weight": w, "bias": b, "losses": _floats(losses)}


@probe
def train(sub, x, y, weight, bias, kwargs):
    """train_linear(x, y, weight, bias, **kwargs) -> {"weight", "bias", "losses" (floats)}."""
    return _call(sub, x, y, weight, bias, kwargs)


@probe
def train_many(sub, x, y, weight, bias, runs):
    """One result (as in `train`) per kwargs dict in `runs`."""
    return [_call(sub, x, y, weight, bias, kwargs) for kwargs in runs]


@probe
def outputs_after(sub, x, y, weight, bias, lr, checkpoints):
    """For each k in checkpoints: the model output F.linear(x, w_k, b_k) after k updates, and the
    losses of the longest run."""
    outputs, longest = [], []
    for k in checkpoints:
        r = _call(sub, x, y, weight, bias, {"lr": lr, "steps": k})
        xd = sub.to_device(x)
        with torch.no_grad():
            out = F.linear(xd, r["weight"].to(xd.dtype), r["bias"].to(xd.dtype))
        outputs.append(out)
        if len(r["losses"]) >= len(longest):
            longest = r["losses"]
    return {"outputs": outputs, "losses": longest}


@probe
def losses_kind(sub, x, y, weight, bias, steps):
    """The container and element types of the returned losses, unnormalised."""
    x, y, weight, bias = _inputs(sub, x, y, weight, bias)
    _, _, losses = _unpack(sub.module.train_linear(x, y, weight, bias, lr=0.05, steps=steps))
    try:
        length = len(losses)
    except TypeError:
        length = None
    items = list(losses) if isinstance(losses, (list, tuple)) else []
    return {
        "type": type(losses).__name__,
        "len": length,
        "item_types": sorted({type(v).__module__ + "." + type(v).__qualname__ for v in items}),
        "all_float": all(isinstance(v, float) for v in items),
    }


def _state(t: torch.Tensor, requires_grad: bool) -> dict:
    return {
        "after": t.detach(),  # the judge compares it with the original: a verdict made here could be forged
        "requires_grad": t.requires_grad,
        "requires_grad_before": requires_grad,
        "grad_is_none": t.grad is None,
    }


@probe
def caller_tensors(sub, x, y, weight, bias, params_require_grad):
    """Call train_linear and report what happened to the caller's own tensors.

    With params_require_grad, the caller's weight and bias are leaves with requires_grad=True (the
    caller's model parameters); an exception raised then is reported, not propagated, so the check
    can explain it. Also returns the result, and the result of the same call on plain copies.
    """
    x, y, weight, bias = _inputs(sub, x, y, weight, bias)
    if params_require_grad:
        weight.requires_grad_(True)
        bias.requires_grad_(True)
    tensors = {"x": x, "y": y, "weight": weight, "bias": bias}
    before = {k: t.detach().clone() for k, t in tensors.items()}
    flags = {k: t.requires_grad for k, t in tensors.items()}
    kwargs = {"lr": 0.05, "steps": 5}
    error = None
    result = None
    try:
        w, b, losses = _unpack(sub.module.train_linear(x, y, weight, bias, **kwargs))
        result = {"weight": w, "bias": b, "losses": _floats(losses)}
    except NotImplementedError:
        raise
    except Exception as exc:
        if not params_require_grad:
            raise
        error = f"{type(exc).__name__}: {exc}"
    plain = None
    if params_require_grad:
        plain = _call(sub, before["x"], before["y"], before["weight"], before["bias"], kwargs)
    return {
        "tensors": {k: _state(t, flags[k]) for k, t in tensors.items()},
        "error": error,
        "result": result,
        "plain": plain,
    }


@probe
def returned_tensors(sub, x, y, weight, bias):
    """Autograd state, dtype, device and shape of the returned weight and bias."""
    x, y, weight, bias = _inputs(sub, x, y, weight, bias)
    w, b, _ = _unpack(sub.module.train_linear(x, y, weight, bias, lr=0.05, steps=3))
    info = {}
    for name, t in (("weight", w), ("bias", b)):
        if not isinstance(t, torch.Tensor):
            info[name] = {"type": type(t).__name__}
            continue
        info[name] = {
            "type": "Tensor",
            "requires_grad": t.requires_grad,
            "grad_fn": None if t.grad_fn is None else type(t.grad_fn).__name__,
            "dtype": str(t.dtype),
            "device": str(t.device),
            "shape": list(t.shape),
        }
    info["input_device"] = str(x.device)
    return info


@probe
def forbidden_at_run_time(sub, x, y, weight, bias):
    """Run train_linear while recording every torch.optim optimizer and torch.nn module built.

    Patching the base classes' __init__ catches `from torch.optim import SGD` done at import time
    too. Module-level objects built at import time are found by scanning the module's globals.
    """
    built: list[str] = []
    opt_init = torch.optim.Optimizer.__init__
    mod_init = torch.nn.Module.__init__

    def record_opt(self, *args, **kwargs):
        built.append("torch.optim." + type(self).__name__)
        return opt_init(self, *args, **kwargs)

    def record_mod(self, *args, **kwargs):
        built.append("torch.nn." + type(self).__name__)
        return mod_init(self, *args, **kwargs)

    x, y, weight, bias = _inputs(sub, x, y, weight, bias)
    torch.optim.Optimizer.__init__ = record_opt
    torch.nn.Module.__init__ = record_mod
    try:
        sub.module.train_linear(x, y, weight, bias, lr=0.05, steps=3)
    finally:
        torch.optim.Optimizer.__init__ = opt_init
        torch.nn.Module.__init__ = mod_init

    in_module = []
    for name, value in vars(sub.module).items():
        if isinstance(value, (torch.nn.Module, torch.optim.Optimizer)):
            in_module.append(f"{name} = {type(value).__name__}(...)")
        elif isinstance(value, type) and issubclass(value, torch.nn.Module) and value.__module__ == sub.module.__name__:
            in_module.append(f"class {name}(nn.Module)")
    return {"built": sorted(set(built)), "in_module": sorted(in_module)}


@probe
def observe_calls(sub, cases):
    """Each case (x, y, weight, bias, variants, kwargs) called through the contract harness: the
    caller's tensors before and after, the outputs' autograd facts and aliases (grader.contract.observe),
    and the result with the losses as floats. `variants` maps "x", "y", "weight", "bias" to a variant
    (layout, requires_grad). An exception is reported as text, so one case does not hide the others."""
    reports = []
    for x, y, weight, bias, variants, kwargs in cases:
        tensors = [apply_variant(sub.to_device(t), variants.get(name))
                   for name, t in zip(("x", "y", "weight", "bias"), (x, y, weight, bias))]
        try:
            seen = observe(sub.module.train_linear, tensors, dict(kwargs))
            w, b, losses = _unpack(seen.pop("output"))
            seen["result"] = {"weight": w, "bias": b, "losses": _floats(losses)}
        except NotImplementedError:
            raise
        except Exception as exc:
            seen = {"raised": f"{type(exc).__name__}: {exc}"[:500]}
        reports.append(seen)
    return reports


@probe
def train_under_no_grad(sub, x, y, weight, bias, kwargs):
    """As `train`, called inside torch.no_grad() (as evaluation code would); an exception is reported
    as text so the check can say where it came from."""
    try:
        with torch.no_grad():
            return _call(sub, x, y, weight, bias, kwargs)
    except NotImplementedError:
        raise
    except Exception as exc:
        return {"raised": f"{type(exc).__name__}: {exc}"[:500]}
