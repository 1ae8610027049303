# expect-fail: batch_multi_output batch_single_output float64 one_sample_multi_output published_trajectory steps_honoured
"""Forgets to reset the gradients: backward() keeps adding into w.grad and b.grad."""

import torch
import torch.nn.functional as F


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    w = weight.detach().clone().requires_grad_(True)
    b = bias.detach().clone().requires_grad_(True)
    losses = []
    for _ in range(steps):
        pred = F.linear(x, w, b)
        loss = F.mse_loss(pred, y)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
    return w.detach(), b.detach(), losses
