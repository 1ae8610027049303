# expect-fail: forward_any_shape backward_non_contiguous
"""Mistake: flattens with .view(-1) "to support any shape"; .view fails on non-contiguous
tensors (transposed or sliced inputs, expanded gradients)."""

import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        flat = x.view(-1)
        return (flat * torch.sigmoid(flat)).view(x.shape)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        flat = x.view(-1)
        s = torch.sigmoid(flat)
        return (grad_output.view(-1) * s * (1 + flat * (1 - s))).view(x.shape)


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
