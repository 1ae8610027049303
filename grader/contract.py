"""Contract harness, probe side: call student code on input variants and report raw facts.

Every exercise promises the same things about the tensors a function receives: it works on
views as well as contiguous tensors, with or without requires_grad, in every supported dtype, and
it leaves its inputs as it found them. This module builds the variants *inside* the sandbox (a
non-contiguous layout does not survive the wire) and reports, as plain data, what each input
looked like before and after the call and which outputs share memory with an input. It decides
nothing: the judge compares (grader.judge.contract). Stdlib and torch only: it runs in the sandbox.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import torch

from grader.probe import Subject, probe

# A variant is plain data: {"layout": "contiguous"|"noncontiguous", "requires_grad": bool|None,
# "dtype": "float64"|...|None}. None keeps what the caller sent.
Variant = dict[str, Any]


def noncontiguous(t: torch.Tensor) -> torch.Tensor:
    """A leaf tensor with the values of `t` in a strided, non-contiguous layout (a view's memory)."""
    if t.dim() == 0 or t.numel() <= 1:
        return t.clone()
    col_major = [math.prod(t.shape[:i]) for i in range(t.dim())]
    out = torch.empty_strided(tuple(t.shape), [2 * s for s in col_major], dtype=t.dtype, device=t.device)
    with torch.no_grad():
        out.copy_(t)
    return out


def apply_variant(t: torch.Tensor, variant: Variant | None) -> torch.Tensor:
    """`t` in the dtype, layout and requires_grad the variant asks for, as a fresh leaf."""
    variant = variant or {}
    t = t.detach()
    dtype = variant.get("dtype")
    if dtype:
        t = t.to(getattr(torch, dtype))
    t = noncontiguous(t) if variant.get("layout") == "noncontiguous" else t.clone()
    rg = variant.get("requires_grad")
    if rg is not None and (t.is_floating_point() or t.is_complex()):
        t.requires_grad_(bool(rg))
    return t


def snapshot(t: torch.Tensor) -> dict[str, Any]:
    """Everything an in-place change can alter, including changes that were undone (_version)."""
    grad = t.grad if t.is_leaf else None
    return {
        "value": t.detach().clone(), "shape": list(t.shape), "stride": list(t.stride()),
        "dtype": str(t.dtype).removeprefix("torch."), "requires_grad": bool(t.requires_grad),
        "grad": None if grad is None else grad.detach().clone(), "version": int(t._version),
        "device": str(t.device),
    }


def tensors_in(value: Any, path: str) -> Iterator[tuple[str, torch.Tensor]]:
    """(path, tensor) for every tensor in nested lists, tuples and dicts, in a stable order."""
    if isinstance(value, torch.Tensor):
        yield path, value
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from tensors_in(v, f"{path}[{i}]")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from tensors_in(v, f"{path}[{k!r}]")


def _storage(t: torch.Tensor) -> int:
    try:
        return int(t.untyped_storage().data_ptr())
    except (RuntimeError, NotImplementedError):
        return 0


def observe(fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Call fn(*args, **kwargs); report the inputs before and after and the outputs' facts."""
    inputs = list(tensors_in(list(args), "args")) + list(tensors_in(kwargs, "kwargs"))
    before = {path: snapshot(t) for path, t in inputs}
    storages = {path: _storage(t) for path, t in inputs}
    output = fn(*args, **kwargs)
    after = {path: snapshot(t) for path, t in inputs}
    outputs, aliases = {}, []
    for path, t in tensors_in(output, "output"):
        outputs[path] = {"requires_grad": bool(t.requires_grad), "is_leaf": bool(t.is_leaf),
                         "grad_fn": None if t.grad_fn is None else type(t.grad_fn).__name__,
                         "dtype": str(t.dtype).removeprefix("torch."), "device": str(t.device),
                         "contiguous": bool(t.is_contiguous())}
        ptr = _storage(t)
        aliases += [[path, p] for p, s in storages.items() if ptr and s == ptr]
    return {"output": output, "before": before, "after": after, "outputs": outputs, "aliases": aliases}


def resolve(module: Any, target: str) -> Any:
    """`Swish.apply` or `last_token` on the student's module; only plain public attribute names."""
    obj = module
    for part in target.split("."):
        if not part.isidentifier() or part.startswith("_") and part != "__call__":
            raise AttributeError(f"{target!r} is not a public name")
        obj = getattr(obj, part)
    return obj


@probe
def contract_call(sub: Subject, target: str, args: list[Any], kwargs: dict[str, Any],
                  variants: dict[str, Variant] | None = None) -> dict[str, Any]:
    """Call module.<target> on variants of its tensor arguments and observe it (see observe()).

    `variants` maps an argument's position ("0", "1", ...) or keyword to the variant to build.
    """
    variants = variants or {}
    args = [apply_variant(a, variants.get(str(i))) if isinstance(a, torch.Tensor) else a
            for i, a in enumerate(sub.to_device(list(args)))]
    kwargs = {k: apply_variant(v, variants.get(k)) if isinstance(v, torch.Tensor) else v
              for k, v in sub.to_device(dict(kwargs)).items()}
    return observe(resolve(sub.module, target), args, kwargs)
