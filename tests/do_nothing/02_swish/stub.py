# do-nothing: the unedited stub (every function raises NotImplementedError).
"""Exercise 02 — Swish (SiLU) with a hand-written backward pass.

    swish(x)  = x * sigmoid(x)
    swish'(x) = s * (1 + x * (1 - s)),   s = sigmoid(x)

See README.md for the full specification. Do not use F.silu / nn.SiLU or autograd
through built-in operations for the gradient: write the backward pass yourself.
"""

import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    """Swish as a custom autograd Function.

    Usage: ``y = SwishFunction.apply(x)``. The output's ``grad_fn`` is this Function's
    backward node, so ``y.backward(g)`` calls :meth:`backward` below.
    """

    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        """Return ``x * sigmoid(x)`` (same shape, dtype and device as ``x``).

        Save what backward needs with ``ctx.save_for_backward``: only the input ``x``
        (one tensor the size of ``x``). Do not modify ``x``.
        """
        # TODO(02.1): save the input for backward and return x * sigmoid(x).
        raise NotImplementedError("TODO(02.1): save x with ctx.save_for_backward and return x * sigmoid(x)")

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        """Return ``grad_output * swish'(x)`` where ``swish'(x) = s * (1 + x * (1 - s))``.

        ``grad_output`` has the shape of the output (it may be non-contiguous). The
        result must stay finite for large ``|x|`` in float32, float16 and bfloat16,
        and must not modify the saved input.
        """
        # TODO(02.2): recompute sigmoid(x) from the saved input and return the gradient.
        raise NotImplementedError("TODO(02.2): compute grad_output * s * (1 + x * (1 - s)) with s = sigmoid(x)")


def swish(x: Tensor) -> Tensor:
    """Swish activation ``x * sigmoid(x)``, differentiated by ``SwishFunction.backward``."""
    # TODO(02.3): apply SwishFunction.
    raise NotImplementedError("TODO(02.3): return SwishFunction.apply(x)")


class Swish(nn.Module):
    """``nn.Module`` wrapper: ``Swish()(x) == swish(x)``. It has no parameters."""

    def forward(self, x: Tensor) -> Tensor:
        # TODO(02.3): call swish.
        raise NotImplementedError("TODO(02.3): return swish(x)")
