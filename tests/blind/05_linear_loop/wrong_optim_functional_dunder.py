# blind-wrong: does the update with torch.optim's functional sgd reached through __import__ (no optimizer object), which is still torch.optim.
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

_sgd = __import__("torch.optim._functional", fromlist=["sgd"]).sgd



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
            pred = F.linear(x, w, b)
            loss = F.mse_loss(pred, y)
            losses.append(loss.item())
            loss.backward()
            with torch.no_grad():
                _sgd([w, b], [w.grad, b.grad], [None, None], weight_decay=0.0, momentum=0.0, lr=lr,
                     dampening=0.0, nesterov=False, maximize=False)
            w.grad.zero_()
            b.grad.zero_()
    return w.detach(), b.detach(), losses
