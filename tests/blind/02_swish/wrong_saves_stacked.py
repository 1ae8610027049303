# blind-wrong: saves one tensor as asked, but it is torch.stack([x, sigmoid(x)]): twice the size of x.
import torch
from torch import Tensor, nn

class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        s = torch.sigmoid(x)
        ctx.save_for_backward(torch.stack([x, s]))
        return x * s

    @staticmethod
    def backward(ctx, grad_output):
        (both,) = ctx.saved_tensors
        x, s = both[0], both[1]
        return grad_output * s * (1 + x * (1 - s))


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
