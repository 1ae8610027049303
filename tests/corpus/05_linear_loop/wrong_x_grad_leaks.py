# expect-fail: caller_tensors_any_kind
"""The loop as the blog post writes it: when the caller's x or y requires grad, backward() leaves a
.grad on them (they are not parameters: detach them)."""

import torch
import torch.nn.functional as F


@torch.enable_grad()  # also when the caller is inside torch.no_grad()
def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    w = weight.detach().clone().requires_grad_(True)
    b = bias.detach().clone().requires_grad_(True)
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
