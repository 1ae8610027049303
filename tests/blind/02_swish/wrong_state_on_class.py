# blind-wrong: keeps the input on the Function class (SwishFunction.saved = x) instead of ctx, so two forward passes before their backward passes mix up inputs.
import torch
from torch import Tensor, nn

class SwishFunction(torch.autograd.Function):
    saved = None

    @staticmethod
    def forward(ctx, x):
        SwishFunction.saved = x
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output):
        x = SwishFunction.saved
        s = torch.sigmoid(x)
        return grad_output * s * (1 + x * (1 - s))


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
