# expect-fail: gradcheck_float64 input_not_modified
"""Mistake: backward "saves memory" by computing in place on the saved tensor, which is the
caller's x: after backward the input holds 1 + x * (1 - s)."""

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
        s = torch.sigmoid(x)
        x.mul_(1 - s).add_(1)  # x now holds 1 + x * (1 - s)
        return grad_output * s * x


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
