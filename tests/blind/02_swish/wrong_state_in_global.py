# blind-wrong: saves x with save_for_backward but reads it back in backward from a module-level variable set by the last forward, so interleaved forwards get the wrong x.
import torch
from torch import Tensor, nn

_LAST_INPUT = []


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        _LAST_INPUT[:] = [x.detach()]
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output):
        x = _LAST_INPUT[0]
        s = torch.sigmoid(x)
        return grad_output * s * (1 + x * (1 - s))


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
