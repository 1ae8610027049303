# expect-fail:
"""Correct, written differently: backward works in place on freshly allocated temporaries
(never on the saved input) to keep peak memory low, and tolerates an undefined grad_output."""

import torch
from torch import nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(x)
        out = torch.sigmoid(x)  # new tensor
        return out.mul_(x)

    @staticmethod
    def backward(ctx, grad_output):
        if grad_output is None:
            return None
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)  # new tensor
        d = torch.rsub(s, 1)  # 1 - s, new tensor
        d.mul_(x).add_(1).mul_(s)  # s * (1 + x * (1 - s)), in place on d only
        return d.mul_(grad_output)


def swish(x):
    """x * sigmoid(x) with a hand-written backward."""
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, input):
        return swish(input)
