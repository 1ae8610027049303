# blind-wrong: imports the optimizer with importlib.import_module('torch.' + 'optim') and steps it, which the rules forbid.
from __future__ import annotations

import importlib

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
    SGD = vars(importlib.import_module("torch." + "optim"))["S" + "GD"]
    opt = SGD([w, b], lr=lr)
    for _ in range(steps):
        loss = F.mse_loss(F.linear(x, w, b), y)
        losses.append(loss.item())
        loss.backward()
        opt.step()
        opt.zero_grad()
    return w.detach(), b.detach(), losses
