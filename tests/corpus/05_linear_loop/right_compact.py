# expect-fail:
"""Correct and compact: the blog post's loop, with x and y detached (they may require grad)."""

import torch
import torch.nn.functional as F


@torch.enable_grad()  # also when the caller is inside torch.no_grad()
def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    w = weight.detach().clone().requires_grad_(True)
    b = bias.detach().clone().requires_grad_(True)
    x, y = x.detach(), y.detach()
    losses = []
    for _ in range(steps):
        loss = F.mse_loss(F.linear(x, w, b), y)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    return w.detach(), b.detach(), losses
