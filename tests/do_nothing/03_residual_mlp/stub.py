# do-nothing: the unedited stub (every method raises NotImplementedError).
"""Exercise 03 — a pre-norm residual MLP.

Implement the four TODOs below. See README.md for the full specification.
The attribute names (norm, fc1, fc2, dropout, input_layer, blocks, output_layer) are part of
the interface: the grader loads weights into your model by name through ``load_state_dict``.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F  # noqa: F401  (you may want F.relu)


class ResidualBlock(nn.Module):
    """Pre-norm residual block.

    ``forward(x) = x + dropout(fc2(relu(fc1(norm(x)))))``

    Attributes (exact names):
        norm:    nn.LayerNorm(dim)
        fc1:     nn.Linear(dim, dim)
        fc2:     nn.Linear(dim, dim)
        dropout: nn.Dropout(dropout)

    Raises:
        ValueError: if ``dim < 1`` or ``dropout`` is not in [0, 1].
    """

    def __init__(self, dim: int, dropout: float = 0.0) -> None:
        super().__init__()
        # TODO(03.1): validate the arguments, then create norm, fc1, fc2 and dropout.
        raise NotImplementedError("TODO(03.1): validate dim/dropout and create norm, fc1, fc2, dropout")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the block to ``x`` of shape [..., dim]; returns the same shape.

        The input tensor must not be modified.
        """
        # TODO(03.2): return x + dropout(fc2(relu(fc1(norm(x)))))
        raise NotImplementedError("TODO(03.2): compute x + dropout(fc2(relu(fc1(norm(x)))))")


class ResidualMLP(nn.Module):
    """A stack of ``depth`` residual blocks between an input and an output projection.

    ``forward(x) = output_layer(norm(blocks(input_layer(x))))``

    Attributes (exact names):
        input_layer:  nn.Linear(in_features, hidden_features)
        blocks:       ``depth`` distinct ResidualBlock(hidden_features, dropout), registered as
                      submodules and indexable (``blocks[0]`` is the first block); e.g.
                      nn.Sequential or nn.ModuleList
        norm:         nn.LayerNorm(hidden_features)
        output_layer: nn.Linear(hidden_features, out_features)

    Raises:
        ValueError: if any feature size is < 1, ``depth < 0`` or ``dropout`` is not in [0, 1].
    """

    def __init__(
        self,
        in_features: int,
        hidden_features: int,
        out_features: int,
        depth: int,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        # TODO(03.3): validate the arguments, then create input_layer, blocks, norm, output_layer.
        raise NotImplementedError(
            "TODO(03.3): validate the arguments and create input_layer, blocks, norm, output_layer"
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map ``x`` of shape [N, in_features] or [N, S, in_features] to [..., out_features]."""
        # TODO(03.4): return output_layer(norm(blocks(input_layer(x))))
        raise NotImplementedError("TODO(03.4): compute output_layer(norm(blocks(input_layer(x))))")
