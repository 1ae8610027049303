"""Exercise 03 — a pre-norm residual MLP (reference solution)."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


def _check_size(name: str, value: int) -> None:
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")


def _check_dropout(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout must be in [0, 1], got {p}")


class ResidualBlock(nn.Module):
    """Pre-norm residual block: ``x + dropout(fc2(relu(fc1(norm(x)))))``."""

    def __init__(self, dim: int, dropout: float = 0.0) -> None:
        super().__init__()
        _check_size("dim", dim)
        _check_dropout(dropout)
        self.norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, dim)
        self.fc2 = nn.Linear(dim, dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Normalisation and dropout live on the branch only: the skip path carries x unchanged,
        # which is what keeps deep stacks trainable (gradient flows through the identity).
        branch = self.fc2(F.relu(self.fc1(self.norm(x))))
        # Out-of-place add: `x += ...` would modify the caller's tensor and a value autograd saved.
        return x + self.dropout(branch)


class ResidualMLP(nn.Module):
    """``output_layer(norm(blocks(input_layer(x))))`` with ``depth`` residual blocks."""

    def __init__(
        self,
        in_features: int,
        hidden_features: int,
        out_features: int,
        depth: int,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        _check_size("in_features", in_features)
        _check_size("hidden_features", hidden_features)
        _check_size("out_features", out_features)
        if depth < 0:
            raise ValueError(f"depth must be >= 0, got {depth}")
        _check_dropout(dropout)
        self.input_layer = nn.Linear(in_features, hidden_features)
        # nn.Sequential registers every block (a plain list would hide them from .parameters(),
        # .to() and state_dict()) and builds `depth` *distinct* blocks, each with its own weights.
        self.blocks = nn.Sequential(*(ResidualBlock(hidden_features, dropout) for _ in range(depth)))
        # Pre-norm blocks leave the residual stream un-normalised: normalise once before the head.
        self.norm = nn.LayerNorm(hidden_features)
        self.output_layer = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # nn.Linear and nn.LayerNorm act on the last dimension, so [N, in] and [N, S, in] both work.
        return self.output_layer(self.norm(self.blocks(self.input_layer(x))))
