# expect-fail: called_under_no_grad caller_tensors_any_kind no_optim_or_nn_at_run_time no_optim_or_nn_in_source
"""Correct numbers, but builds an nn.Linear layer (forbidden by the rules)."""

import torch
from torch import nn
import torch.nn.functional as F


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    layer = nn.Linear(weight.shape[1], weight.shape[0], dtype=weight.dtype, device=weight.device)
    with torch.no_grad():
        layer.weight.copy_(weight)
        layer.bias.copy_(bias)
    losses = []
    for _ in range(steps):
        loss = F.mse_loss(layer(x), y)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            for p in layer.parameters():
                p -= lr * p.grad
                p.grad.zero_()
    return layer.weight.detach().clone(), layer.bias.detach().clone(), losses
