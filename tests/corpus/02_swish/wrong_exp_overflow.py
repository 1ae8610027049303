# expect-fail: extreme_values_float32 float16 bfloat16
"""Mistake: backward expands the derivative with exp(-x); exp overflows to inf for large
negative x and (1 + e + x e) / (1 + e)^2 becomes inf / inf = NaN."""

import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return x / (1 + torch.exp(-x))

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        e = torch.exp(-x)
        return grad_output * (1 + e + x * e) / (1 + e) ** 2


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
