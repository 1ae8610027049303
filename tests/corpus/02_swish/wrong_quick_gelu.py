# expect-fail: forward_matches_silu forward_any_shape backward_matches_silu backward_non_contiguous extreme_values_float32 float16 bfloat16 swish_module
"""Mistake: x * sigmoid(1.702 x) (the "quick GELU") with its matching derivative: consistent,
so gradcheck passes, but it is not Swish (beta must be 1)."""

import torch
from torch import Tensor, nn

BETA = 1.702


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return x * torch.sigmoid(BETA * x)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(BETA * x)
        return grad_output * s * (1 + BETA * x * (1 - s))


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
