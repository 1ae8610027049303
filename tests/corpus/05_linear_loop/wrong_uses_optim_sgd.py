# expect-fail: called_under_no_grad caller_tensors_any_kind no_optim_or_nn_at_run_time no_optim_or_nn_in_source
"""Correct numbers, but lets torch.optim.SGD do the update (forbidden by the rules)."""

import torch
import torch.nn.functional as F


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    w = weight.detach().clone().requires_grad_(True)
    b = bias.detach().clone().requires_grad_(True)
    opt = torch.optim.SGD([w, b], lr=lr)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = F.mse_loss(F.linear(x, w, b), y)
        losses.append(loss.item())
        loss.backward()
        opt.step()
    return w.detach(), b.detach(), losses
