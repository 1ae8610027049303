# expect-fail:
"""Correct: x @ w.T + b instead of F.linear, an explicit mean, and .grad = None instead of zero_();
x and y detached (the caller's may require grad)."""

import torch


@torch.enable_grad()  # also when the caller is inside torch.no_grad()
def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    params = [weight.detach().clone(), bias.detach().clone()]
    for p in params:
        p.requires_grad = True
    w, b = params
    x, y = x.detach(), y.detach()  # inputs may require grad: they are not parameters
    history = []
    for step in range(steps):
        out = x @ w.T + b
        loss = ((out - y) ** 2).mean()
        history.append(loss.item())
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.sub_(lr * p.grad)
                p.grad = None
    return w.detach(), b.detach(), history
