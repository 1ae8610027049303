# blind-wrong: uses torch.optim.SGD reached through getattr(torch, 'op' + 'tim'), which the rules forbid.
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
    opt = getattr(torch, "op" + "tim").SGD([w, b], lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        loss = F.mse_loss(F.linear(x, w, b), y)
        losses.append(loss.item())
        loss.backward()
        opt.step()

    return w.detach(), b.detach(), losses
