# expect-fail: batch_multi_output batch_single_output called_under_no_grad caller_params_requiring_grad caller_tensors_any_kind caller_tensors_untouched defaults float64 losses_are_floats lr_honoured no_optim_or_nn_at_run_time no_optim_or_nn_in_source one_sample_multi_output published_trajectory results_are_new_tensors returned_detached steps_honoured steps_zero trains_the_model
"""Updates with w = w - lr * w.grad outside torch.no_grad(): w becomes a non-leaf and the second
step finds w.grad is None."""

import torch
import torch.nn.functional as F


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    w = weight.detach().clone().requires_grad_(True)
    b = bias.detach().clone().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = F.mse_loss(F.linear(x, w, b), y)
        losses.append(loss.item())
        loss.backward()
        w = w - lr * w.grad
        b = b - lr * b.grad
    return w.detach(), b.detach(), losses
