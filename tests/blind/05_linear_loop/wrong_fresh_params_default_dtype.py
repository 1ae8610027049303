# blind-wrong: makes the trainable copies with torch.zeros(shape, requires_grad=True) and copies the values in, so float64 inputs train (and return) float32 parameters.
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
    w = torch.zeros(weight.shape, device=weight.device, requires_grad=True)
    b = torch.zeros(bias.shape, device=bias.device, requires_grad=True)
    with torch.no_grad():
        w.copy_(weight)
        b.copy_(bias)
    x = x.detach()
    y = y.detach()
    losses: list[float] = []
    with torch.enable_grad():
        for _ in range(steps):
            pred = F.linear(x.to(w.dtype), w, b)
            loss = F.mse_loss(pred, y.to(w.dtype))

            losses.append(loss.item())
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
                b -= lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
    return w.detach(), b.detach(), losses
