# expect-fail: batch_multi_output batch_single_output float64 one_sample_multi_output published_first_step published_trajectory steps_honoured
"""Records the loss of the updated parameters instead of the loss before the update."""

import torch
import torch.nn.functional as F


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    w = weight.detach().clone().requires_grad_(True)
    b = bias.detach().clone().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = F.mse_loss(F.linear(x, w, b), y)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
            losses.append(F.mse_loss(F.linear(x, w, b), y).item())
        w.grad.zero_()
        b.grad.zero_()
    return w.detach(), b.detach(), losses
