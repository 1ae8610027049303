# blind-right: works in place only on freshly made tensors (sigmoid(x).mul_(x)) and writes the derivative expanded as s + x * s * (1 - s).
import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.sigmoid(x).mul_(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        d = (1 - s).mul_(s).mul_(x).add_(s)     # s + x * s * (1 - s), in new buffers only
        return d.mul_(grad_output)


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
