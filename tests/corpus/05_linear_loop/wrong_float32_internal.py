# expect-fail: float64
"""Trains in float32 and casts the result back: float64 in, float64 out, but float32 precision."""

import torch
import torch.nn.functional as F


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    dtype = weight.dtype
    x, y = x.to(torch.float32), y.to(torch.float32)
    w = weight.detach().to(torch.float32, copy=True).requires_grad_(True)
    b = bias.detach().to(torch.float32, copy=True).requires_grad_(True)
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
    return w.detach().to(dtype), b.detach().to(dtype), losses
