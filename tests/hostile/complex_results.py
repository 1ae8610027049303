# expect: failed
# A correct train_linear whose probes are rewritten to return complex tensors: failure details
# must still hold plain numbers and strings (a complex in them broke the JSON of a whole class).
"""Exercise 05 — reference solution: train a linear model by hand.

One step of plain gradient descent, written out with autograd and no optimizer:

    pred = F.linear(x, w, b)          # x @ w.T + b
    loss = F.mse_loss(pred, y)        # mean over every element
    loss.backward()                   # fills w.grad and b.grad
    with torch.no_grad():             # the update itself must not be recorded
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_(); b.grad.zero_()    # .grad accumulates across backward() calls
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


def train_linear(
    x: Tensor,
    y: Tensor,
    weight: Tensor,
    bias: Tensor,
    lr: float = 0.01,
    steps: int = 1000,
) -> tuple[Tensor, Tensor, list[float]]:
    """Fit ``y ≈ x @ weight.T + bias`` by ``steps`` steps of gradient descent on the MSE loss.

    Args:
        x: inputs, shape [in] or [N, in].
        y: targets, shape [out] or [N, out].
        weight: initial weight, shape [out, in]. Not modified.
        bias: initial bias, shape [out]. Not modified.
        lr: learning rate.
        steps: number of updates (0 is allowed).

    Returns:
        (weight, bias, losses): the trained weight and bias (same dtype and device as the
        inputs, not requiring grad) and ``losses``, a list of ``steps`` Python floats where
        ``losses[i]`` is the loss before update ``i``.
    """
    # Fresh leaf tensors: detach() cuts any link to the caller's autograd graph, clone() gives
    # our own storage so the in-place updates below never touch the caller's tensors.
    w = weight.detach().clone().requires_grad_(True)
    b = bias.detach().clone().requires_grad_(True)
    # The data are constants: no gradient should flow into the caller's x or y.
    x = x.detach()
    y = y.detach()

    losses: list[float] = []
    # enable_grad: the loop still works when the caller is inside a torch.no_grad() block.
    with torch.enable_grad():
        for _ in range(steps):
            pred = F.linear(x, w, b)
            loss = F.mse_loss(pred, y)
            losses.append(loss.item())  # a Python float; keeping the tensor would keep the graph
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
                b -= lr * b.grad
            # Without this, the next backward() adds its gradient to this one.
            w.grad.zero_()
            b.grad.zero_()

    return w.detach(), b.detach(), losses


# -- the hostile part -------------------------------------------------------------------------
import grader.probe as _probe_api  # noqa: E402


def _complex(v):
    if isinstance(v, torch.Tensor) and v.is_floating_point():
        return v.to(torch.complex64) + 1e-3j
    if isinstance(v, float):
        return torch.tensor(v + 1e-3j)
    if isinstance(v, dict):
        return {k: _complex(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return type(v)(_complex(x) for x in v)
    return v


def _wrap(fn):
    return lambda sub, *args, **kwargs: _complex(fn(sub, *args, **kwargs))


for _name, _fn in list(_probe_api._REGISTRY.items()):
    _probe_api._REGISTRY[_name] = _wrap(_fn)
