# expect-fail:
"""Correct without autograd: the gradient of the mean squared error, written out by hand.

loss = mean((x @ w.T + b - y) ** 2) over all N * out elements, so with r = pred - y:
    d loss / d pred = 2 r / (N * out),   d loss / d w = (d loss / d pred).T @ x,   d loss / d b = sum over samples.
"""

import torch
from torch import Tensor


def train_linear(x: Tensor, y: Tensor, weight: Tensor, bias: Tensor, lr: float = 0.01, steps: int = 1000):
    # 1-D inputs are one sample: work on [N, in] / [N, out] views throughout.
    x2 = x.detach().reshape(-1, weight.shape[1])
    y2 = y.detach().reshape(-1, weight.shape[0])
    w = weight.detach().clone()
    b = bias.detach().clone()
    losses = []
    for _ in range(steps):
        r = x2 @ w.T + b - y2
        losses.append(float((r * r).mean()))
        g = r * (2.0 / r.numel())
        w = w - lr * (g.T @ x2)
        b = b - lr * g.sum(dim=0)
    return w, b, losses
