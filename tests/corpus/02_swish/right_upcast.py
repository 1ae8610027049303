# expect-fail:
"""Correct, written differently: low-precision inputs are computed in float32 (like PyTorch's
own kernels) and cast back; swish is an alias of SwishFunction.apply."""

import torch
import torch.nn as nn

_LOW_PRECISION = (torch.float16, torch.bfloat16)


def _compute_dtype(x):
    return torch.float32 if x.dtype in _LOW_PRECISION else x.dtype


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        xc = x.to(_compute_dtype(x))
        return (xc * torch.sigmoid(xc)).to(x.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        dt = _compute_dtype(x)
        xc, gc = x.to(dt), grad_output.to(dt)
        s = torch.sigmoid(xc)
        grad = gc * (s + xc * s * (1 - s))
        return grad.to(x.dtype)


swish = SwishFunction.apply


class Swish(nn.Module):
    """Swish activation (beta = 1, no parameters)."""

    forward = staticmethod(swish)
