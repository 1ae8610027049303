# blind-wrong: computes the gradient by its own formula 2 * (pred - y) / N, dividing by the batch size only and not by N * out.
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
    n = xb.shape[0]
    for _ in range(steps):
        pred = F.linear(xb, w, b)
        losses.append(F.mse_loss(pred, yb).item())
        g = 2 * (pred - yb) / n
        w = w - lr * g.T @ xb
        b = b - lr * g.sum(0)

    return w.detach(), b.detach(), losses
