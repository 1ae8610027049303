# blind-right: no autograd at all: the gradient of the mean squared error by its own formula, in the inputs' dtype.
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
    w = weight.detach().clone().requires_grad_(True)
    b = bias.detach().clone().requires_grad_(True)
    x = x.detach()
    y = y.detach()
    losses: list[float] = []
    w = w.detach()
    b = b.detach()
    xb = x.reshape(-1, x.shape[-1])
    yb = y.reshape(-1, y.shape[-1])
    for _ in range(steps):
        pred = F.linear(xb, w, b)
        diff = pred - yb
        losses.append(float((diff * diff).mean()))
        g = diff * (2.0 / diff.numel())      # d mean((pred - y)^2) / d pred
        w = w - lr * (g.T @ xb)
        b = b - lr * g.sum(0)
    return w, b, losses

