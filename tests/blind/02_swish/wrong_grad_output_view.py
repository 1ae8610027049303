# blind-wrong: flattens grad_output and x with .view(-1) in backward, which raises when grad_output (or x) is non-contiguous or expanded.
import torch
from torch import Tensor, nn

class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        g = grad_output.view(-1)
        xf = x.view(-1)
        sf = s.view(-1)
        return (g * sf * (1 + xf * (1 - sf))).view(x.shape)


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
