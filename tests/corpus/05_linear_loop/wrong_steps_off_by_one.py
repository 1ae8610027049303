# expect-fail: batch_multi_output batch_single_output defaults float64 losses_are_floats lr_honoured one_sample_multi_output published_first_step published_trajectory steps_honoured steps_zero
"""Counts steps from 0 to steps inclusive: one update (and one loss) too many."""

import torch
import torch.nn.functional as F


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    w = weight.detach().clone().requires_grad_(True)
    b = bias.detach().clone().requires_grad_(True)
    losses = []
    step = 0
    while step <= steps:
        loss = F.mse_loss(F.linear(x, w, b), y)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
        step += 1
    return w.detach(), b.detach(), losses
