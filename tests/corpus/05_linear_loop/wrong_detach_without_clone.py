# expect-fail: caller_params_requiring_grad caller_tensors_untouched
"""Detaches the parameters but does not clone them: the copy shares the caller's storage, so the
in-place updates change the caller's weight and bias."""

import torch
import torch.nn.functional as F


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    w = weight.detach().requires_grad_(True)
    b = bias.detach().requires_grad_(True)
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
