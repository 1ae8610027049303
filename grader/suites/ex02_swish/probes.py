"""Probes for exercise 02 (Swish). They run inside the sandbox against the student's module
(and in the judge against the reference): stdlib, torch and grader.probe only.

Every probe builds its inputs on the run's device from plain data, calls the student's code the
way a user would, and returns plain data (tensors, strings, numbers, nested containers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch.autograd.gradcheck import GradcheckError

from grader.contract import apply_variant, snapshot
from grader.probe import Subject, probe


def _entry(sub: Subject, entry: str) -> Callable[[torch.Tensor], torch.Tensor]:
    """The public entry point under test."""
    if entry == "function":
        return sub.module.SwishFunction.apply
    if entry == "swish":
        return sub.module.swish
    if entry == "module":
        return sub.module.Swish().to(sub.device)
    raise ValueError(f"unknown entry {entry!r}")


def _node_name(t: torch.Tensor) -> str | None:
    return None if t.grad_fn is None else type(t.grad_fn).__name__


def _layout(x: torch.Tensor, layout: str, requires_grad: bool):
    """Return (leaf, inp, grad_of_inp): `inp` holds x's values in the given memory layout and is
    a view of `leaf` (the tensor that receives .grad); grad_of_inp maps leaf.grad to d/d inp."""
    if layout == "contiguous":
        leaf = x.detach().clone().requires_grad_(requires_grad)
        return leaf, leaf, lambda g: g
    if layout == "transposed":  # last two dims swapped in memory: a transposed view
        leaf = x.detach().transpose(-1, -2).contiguous().requires_grad_(requires_grad)
        return leaf, leaf.transpose(-1, -2), lambda g: g.transpose(-1, -2)
    if layout == "strided":  # every other element of a buffer twice as wide: a sliced view
        buf = torch.zeros(*x.shape[:-1], 2 * x.shape[-1], dtype=x.dtype, device=x.device)
        buf[..., ::2] = x
        leaf = buf.requires_grad_(requires_grad)
        return leaf, leaf[..., ::2], lambda g: g[..., ::2]
    raise ValueError(f"unknown layout {layout!r}")


def _grad_layout(g: torch.Tensor, shape: torch.Size, layout: str) -> torch.Tensor:
    if layout == "contiguous":
        return g.expand(shape).contiguous()
    if layout == "transposed":
        return g.transpose(-1, -2).contiguous().transpose(-1, -2)
    if layout == "expanded":  # stride-0 dims, like the grad of y.sum()
        return g.expand(shape)
    raise ValueError(f"unknown grad layout {layout!r}")


def _tensor_info(t: torch.Tensor) -> dict[str, Any]:
    return {"shape": list(t.shape), "dtype": str(t.dtype), "numel": t.numel(), "bytes": t.numel() * t.element_size()}


@probe
def run(
    sub: Subject,
    x: torch.Tensor,
    grad: torch.Tensor | None = None,
    *,
    entry: str = "function",
    layout: str = "contiguous",
    grad_layout: str = "contiguous",
    dtype: str | None = None,
    requires_grad: bool | None = None,
) -> dict[str, Any]:
    """Forward (and, when `grad` is given, backward) through one entry point.

    Also reports how many tensors autograd saved *during* backward: a hand-written backward
    runs with grad mode off and saves none; a backward that builds a graph (autograd through
    built-in ops) saves some.
    """
    x = sub.to_device(x)
    if dtype is not None:
        x = x.to(getattr(torch, dtype))
    if requires_grad is None:
        requires_grad = grad is not None
    fn = _entry(sub, entry)
    leaf, inp, grad_of_inp = _layout(x, layout, requires_grad)
    y = fn(inp)
    result: dict[str, Any] = {
        "out": y.detach(),
        "shape": list(y.shape),
        "dtype": str(y.dtype),
        "device": str(y.device),
        "grad_fn": _node_name(y),
    }
    if grad is not None:
        g = _grad_layout(sub.to_device(grad).to(y.dtype), y.shape, grad_layout)
        saved_in_backward: list[dict[str, Any]] = []

        def pack(t: torch.Tensor) -> torch.Tensor:
            saved_in_backward.append(_tensor_info(t))
            return t

        with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            y.backward(g)
        result["grad"] = None if leaf.grad is None else grad_of_inp(leaf.grad)
        result["grad_dtype"] = None if leaf.grad is None else str(leaf.grad.dtype)
        result["grad_device"] = None if leaf.grad is None else str(leaf.grad.device)
        result["saved_in_backward"] = saved_in_backward
    return result


def _collect_tensors(value: Any, name: str, out: list[dict[str, Any]], depth: int = 0) -> None:
    if isinstance(value, torch.Tensor):
        out.append({"name": name, **_tensor_info(value)})
    elif depth < 3 and isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _collect_tensors(v, f"{name}[{i}]", out, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for k, v in value.items():
            _collect_tensors(v, f"{name}[{k!r}]", out, depth + 1)


@probe
def saved_for_backward(sub: Subject, x: torch.Tensor, grad: torch.Tensor) -> dict[str, Any]:
    """What SwishFunction keeps alive between forward and backward.

    Counts tensors given to ctx.save_for_backward (via saved-tensor hooks) and tensors stored as
    attributes of ctx (`ctx.s = ...`), then runs backward so that a Function that saves nothing
    because its backward is not written yet does not look memory-efficient.
    """
    x = sub.to_device(x).requires_grad_()
    saved: list[dict[str, Any]] = []

    def pack(t: torch.Tensor) -> torch.Tensor:
        saved.append(_tensor_info(t))
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        y = sub.module.SwishFunction.apply(x)
    attrs: list[dict[str, Any]] = []
    node = y.grad_fn
    for name, value in (getattr(node, "__dict__", None) or {}).items():
        _collect_tensors(value, f"ctx.{name}", attrs)
    y.backward(sub.to_device(grad))
    return {
        "grad_fn": _node_name(y),
        "saved": saved,
        "ctx_attributes": attrs,
        "input": _tensor_info(x),
        "grad": None if x.grad is None else x.grad,
    }


@probe
def gradcheck(sub: Subject, x: torch.Tensor) -> dict[str, Any]:
    """torch.autograd.gradcheck on SwishFunction.apply in float64."""
    x = sub.to_device(x).to(torch.float64).requires_grad_()
    try:
        torch.autograd.gradcheck(sub.module.SwishFunction.apply, (x,), eps=1e-6, atol=1e-5, rtol=1e-3)
    except GradcheckError as exc:
        return {"ok": False, "message": str(exc)[:1500]}
    return {"ok": True, "message": ""}


@probe
def untouched(sub: Subject, x: torch.Tensor, grad: torch.Tensor, variant: dict[str, Any],
              entry: str = "function") -> dict[str, Any]:
    """Snapshots of x around the forward call, and of x and grad_output around backward (when x
    requires grad), in the layout/dtype/requires_grad of `variant`, with grad_output in the same
    layout. The judge compares them (grader.judge.contract): a verdict computed here could be forged.
    """
    x = apply_variant(sub.to_device(x), variant)
    fn = _entry(sub, entry)
    before = snapshot(x)
    y = fn(x)
    result: dict[str, Any] = {"out": y.detach(), "dtype": str(y.dtype),
                              "forward": {"before": {"x": before}, "after": {"x": snapshot(x)}}}
    if x.requires_grad:
        g = apply_variant(sub.to_device(grad).to(y.dtype), {"layout": variant.get("layout")})
        x_before, g_before = snapshot(x), snapshot(g)
        y.backward(g)
        x_after = snapshot(x)
        x_after["grad"] = None  # x.grad is what backward is for
        result["backward"] = {"before": {"x": x_before, "grad_output": g_before},
                              "after": {"x": x_after, "grad_output": snapshot(g)}}
        result["grad"] = None if x.grad is None else x.grad.detach()
    return result


@probe
def interleaved(sub: Subject, x1: torch.Tensor, x2: torch.Tensor, g1: torch.Tensor, g2: torch.Tensor) -> dict[str, Any]:
    """Two forward passes, then their backward passes (first call first): how a network with two
    Swish layers runs. State kept outside ctx is overwritten by the second forward."""
    fn = sub.module.SwishFunction.apply
    a = sub.to_device(x1).requires_grad_()
    b = sub.to_device(x2).requires_grad_()
    ya, yb = fn(a), fn(b)
    ya.backward(sub.to_device(g1))
    yb.backward(sub.to_device(g2))
    return {"grad1": None if a.grad is None else a.grad, "grad2": None if b.grad is None else b.grad}


@probe
def module_info(sub: Subject) -> dict[str, Any]:
    """Swish(): an nn.Module without parameters or buffers."""
    m = sub.module.Swish()
    return {
        "is_module": isinstance(m, torch.nn.Module),
        "parameters": [name for name, _ in m.named_parameters()],
        "buffers": [name for name, _ in m.named_buffers()],
    }
