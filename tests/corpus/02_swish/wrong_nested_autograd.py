# expect-fail: backward_hand_written float16
"""Mistake: backward re-runs the forward under enable_grad and lets autograd compute the
gradient instead of writing the formula by hand."""

import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        with torch.enable_grad():
            x_ = x.detach().requires_grad_()
            y = x_ * torch.sigmoid(x_)
            (grad,) = torch.autograd.grad(y, x_, grad_output)
        return grad


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
