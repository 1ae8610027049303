# expect-fail: bfloat16 float16
"""Mistake: the derivative in the often-quoted form y + s * (1 - y), y = x * s. Exact in real
arithmetic, but for large x in float16/bfloat16 1 - y rounds to -y and y + s * (1 - y) cancels
to 0 instead of 1."""

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
        y = x * s
        return grad_output * (y + s * (1 - y))


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
