# blind-right: uses torch.special.expit for sigmoid and spells the derivative as s + x*s*(1-s) with torch.addcmul.
import torch
from torch import Tensor, nn

class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * torch.special.expit(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        s = torch.special.expit(x)
        return grad_output * torch.addcmul(s, x * s, 1 - s)


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
