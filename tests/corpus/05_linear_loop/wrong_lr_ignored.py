# expect-fail: batch_multi_output float64 lr_honoured one_sample_multi_output steps_honoured
"""Hard-codes the learning rate of the blog post instead of using the lr argument."""

import torch
import torch.nn.functional as F

LEARNING_RATE = 0.01


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    w = weight.detach().clone().requires_grad_(True)
    b = bias.detach().clone().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = F.mse_loss(F.linear(x, w, b), y)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= LEARNING_RATE * w.grad
            b -= LEARNING_RATE * b.grad
        w.grad.zero_()
        b.grad.zero_()
    return w.detach(), b.detach(), losses
