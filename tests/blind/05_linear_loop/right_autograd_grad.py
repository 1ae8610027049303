# blind-right: gets the gradients with torch.autograd.grad(loss, (w, b)) instead of backward(), so no .grad to reset; pred written as x @ w.T + b.
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
    with torch.enable_grad():
        for _ in range(steps):
            pred = x @ w.T + b
            loss = F.mse_loss(pred, y)
            losses.append(loss.item())
            gw, gb = torch.autograd.grad(loss, (w, b))
            with torch.no_grad():
                w -= lr * gw
                b -= lr * gb

    return w.detach(), b.detach(), losses
