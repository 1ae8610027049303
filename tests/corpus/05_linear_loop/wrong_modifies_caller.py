# expect-fail: called_under_no_grad caller_params_requiring_grad caller_tensors_any_kind caller_tensors_untouched results_are_new_tensors
"""Trains the caller's own tensors in place instead of copies."""

import torch
import torch.nn.functional as F


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    weight.requires_grad_(True)
    bias.requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = F.mse_loss(F.linear(x, weight, bias), y)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            weight -= lr * weight.grad
            bias -= lr * bias.grad
        weight.grad.zero_()
        bias.grad.zero_()
    return weight.detach(), bias.detach(), losses
