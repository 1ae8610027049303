# expect-fail:
"""Correct: torch.autograd.grad returns the gradients directly, so nothing accumulates in .grad."""

import torch
import torch.nn.functional as F


@torch.enable_grad()  # also when the caller is inside torch.no_grad()
def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    w = weight.detach().clone()
    b = bias.detach().clone()
    losses = []
    for _ in range(steps):
        w.requires_grad_(True)
        b.requires_grad_(True)
        loss = F.mse_loss(F.linear(x, w, b), y)
        gw, gb = torch.autograd.grad(loss, (w, b))
        losses.append(loss.item())
        with torch.no_grad():
            w = w - lr * gw
            b = b - lr * gb
    return w, b, losses
