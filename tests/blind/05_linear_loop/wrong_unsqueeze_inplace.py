# blind-wrong: turns a single sample into a batch with x.unsqueeze_(0) / y.unsqueeze_(0), which changes the shape of the caller's tensors.
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
    if x.dim() == 1:
        x.unsqueeze_(0)
        y.unsqueeze_(0)
    x = x.detach()
    y = y.detach()

    losses: list[float] = []
    with torch.enable_grad():
        for _ in range(steps):
            pred = F.linear(x, w, b)
            loss = F.mse_loss(pred, y)
            losses.append(loss.item())
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
                b -= lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
    return w.detach(), b.detach(), losses
