# blind-wrong: lets autograd do the work inside backward (torch.autograd.grad of x * sigmoid(x)) instead of writing the derivative.
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
        with torch.enable_grad():
            xd = x.detach().requires_grad_(True)
            y = xd * torch.sigmoid(xd)
            (g,) = torch.autograd.grad(y, xd, grad_output)
        return g


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
