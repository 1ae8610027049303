# blind-wrong: builds the model as an nn.Module subclass made with type(...) and its parameters, which the rules forbid.
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
    Model = type("Model", (getattr(torch.nn, "Mod" + "ule"),), {})
    model = Model()
    model.w = torch.nn.Parameter(weight.detach().clone())
    model.b = torch.nn.Parameter(bias.detach().clone())
    w, b = model.w, model.b

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
