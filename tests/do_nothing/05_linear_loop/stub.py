# do-nothing: the unedited stub (raises NotImplementedError).
"""Exercise 05 — a training loop by hand.

Implement ``train_linear`` below. See README.md for the full specification.
Rules: no ``torch.optim`` and no ``torch.nn`` modules (``nn.Linear``, ``nn.MSELoss``, ...);
use ``torch.nn.functional`` and plain tensors.
"""

from __future__ import annotations

import torch  # noqa: F401  (you will need torch.no_grad())
import torch.nn.functional as F  # noqa: F401  (F.linear, F.mse_loss)
from torch import Tensor


def train_linear(
    x: Tensor,
    y: Tensor,
    weight: Tensor,
    bias: Tensor,
    lr: float = 0.01,
    steps: int = 1000,
) -> tuple[Tensor, Tensor, list[float]]:
    """Fit ``y ≈ x @ weight.T + bias`` by ``steps`` steps of gradient descent on the MSE loss.

    Each step, in this order::

        pred = F.linear(x, w, b)
        loss = F.mse_loss(pred, y)        # mean over all elements
        record loss.item()                # the loss BEFORE this step's update
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        reset w.grad and b.grad

    Args:
        x: inputs, shape [in] or [N, in].
        y: targets, shape [out] or [N, out].
        weight: initial weight, shape [out, in]. Must not be modified.
        bias: initial bias, shape [out]. Must not be modified.
        lr: learning rate.
        steps: number of updates (0 is allowed).

    Returns:
        (weight, bias, losses): the trained weight and bias (same dtype and device as the
        inputs, ``requires_grad == False``) and ``losses``, a list of exactly ``steps`` Python
        floats where ``losses[i]`` is the loss before update ``i``.
    """
    # TODO(05.2): make your own trainable copies of weight and bias (leaf tensors that require
    #             grad); the caller's x, y, weight and bias must not change in any way.
    # TODO(05.1): the loop: for each of the `steps` steps, compute pred and the mean squared error,
    #             record the loss as a Python float, backward(), update w and b under
    #             torch.no_grad(), then reset their gradients.
    # TODO(05.2): return the trained weight and bias detached from autograd, and the losses.
    # TODO(05.3): keep to the rules: no torch.optim, no nn.Linear / nn.MSELoss / nn.Module.
    raise NotImplementedError("TODO(05.1): implement the training loop of train_linear")
