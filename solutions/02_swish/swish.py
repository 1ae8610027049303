"""Exercise 02 — Swish (SiLU) with a hand-written backward pass. Reference solution.

    swish(x)  = x * sigmoid(x)
    swish'(x) = s * (1 + x * (1 - s)),   s = sigmoid(x)
"""

import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    """Swish as a custom autograd Function that saves only its input for backward."""

    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        # Save only x (one tensor the size of the input): sigmoid(x) is cheap to
        # recompute in backward, so keeping it (or the output) around would only
        # cost memory.  save_for_backward also lets autograd detect later in-place
        # changes of x.
        ctx.save_for_backward(x)
        # torch.sigmoid is numerically stable for any |x| (no exp overflow), and
        # keeps dtype and device.  Out-of-place ops: the input is never modified.
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        # d/dx [x * s(x)] = s + x * s * (1 - s) = s * (1 + x * (1 - s)).
        # For large |x| every factor stays bounded: s -> 0 or 1 and x * (1 - s) -> 0
        # (x -> +inf) or 1 + x (x -> -inf, multiplied by s -> 0), so no inf/NaN.
        return grad_output * s * (1 + x * (1 - s))


def swish(x: Tensor) -> Tensor:
    """Swish activation x * sigmoid(x), differentiated by SwishFunction.backward."""
    return SwishFunction.apply(x)


class Swish(nn.Module):
    """nn.Module wrapper around swish(); it has no parameters."""

    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
