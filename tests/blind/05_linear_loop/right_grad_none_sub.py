# blind-right: resets the gradients with w.grad = None, updates with w.sub_(...), records float(loss), and copies with torch.clone(...).detach().
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
    w = torch.clone(weight).detach().requires_grad_()
    b = torch.clone(bias).detach().requires_grad_()
    x = x.detach()
    y = y.detach()
    losses: list[float] = []
    with torch.enable_grad():
        for _ in range(steps):
            pred = F.linear(x, w, b)
            loss = F.mse_loss(pred, y)
            losses.append(float(loss.detach()))
            loss.backward()
            with torch.no_grad():
                w.sub_(w.grad, alpha=lr)
                b.sub_(b.grad, alpha=lr)
            w.grad = None
            b.grad = None

    return w.detach(), b.detach(), losses
