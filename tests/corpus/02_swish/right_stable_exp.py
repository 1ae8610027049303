# expect-fail:
"""Correct, written differently: a hand-made numerically stable sigmoid (exp of -|x| only, so
it never overflows) and the derivative in the form s + y * (1 - s), with y = x * s."""

import torch
from torch import Tensor, nn


def _stable_sigmoid(x: Tensor) -> Tensor:
    e = torch.exp(-x.abs())  # in (0, 1]: no overflow for any x
    return torch.where(x >= 0, 1 / (1 + e), e / (1 + e))


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * _stable_sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        s = _stable_sigmoid(x)
        y = x * s
        return grad_output * (s + y * (1 - s))


def swish(x):
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x):
        return SwishFunction.apply(x)

    def extra_repr(self) -> str:
        return "beta=1"
