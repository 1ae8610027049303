# expect-fail:
"""Correct, written differently: Tensor.sigmoid() in forward, torch.special.expit in backward,
F imported for a self-test that compares with F.silu and calls .backward() under the
`if __name__ == "__main__":` guard (not graded, never run on import)."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return x * x.sigmoid()

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        x, = ctx.saved_tensors
        s = torch.special.expit(x)
        return grad_output * (s + x * s * (1 - s))


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def __init__(self) -> None:
        super().__init__()

    def forward(self, x: Tensor) -> Tensor:
        return swish(x)


if __name__ == "__main__":
    x = torch.randn(5, dtype=torch.float64, requires_grad=True)
    y = swish(x)
    assert torch.allclose(y, F.silu(x))
    y.sum().backward()
    ref = x.detach().requires_grad_()
    (g,) = torch.autograd.grad(F.silu(ref).sum(), ref)
    assert torch.allclose(x.grad, g)
    assert torch.autograd.gradcheck(SwishFunction.apply, (x,))
    print("ok")
