# expect-fail: caller_params_requiring_grad
"""Copies the parameters with clone() only: fine for plain tensors, but when the caller's weight
requires grad the copy is a non-leaf whose .grad stays None."""

import torch
import torch.nn.functional as F


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    w = weight.clone().requires_grad_(True)
    b = bias.clone().requires_grad_(True)
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
