# blind-right: an extra parameter-free submodule self.act = nn.ReLU() (no new state_dict keys) and blocks built with a loop and add_module-free Sequential.append.
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
    def __init__(self, dim: int, dropout: float = 0.0) -> None:
        super().__init__()
        _check_size("dim", dim)
        _check_dropout(dropout)
        self.norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, dim)
        self.fc2 = nn.Linear(dim, dim)
        self.dropout = nn.Dropout(dropout)
        self.act = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        branch = self.fc2(self.act(self.fc1(self.norm(x))))
        return x + self.dropout(branch)


class ResidualMLP(nn.Module):
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
        self.blocks = nn.Sequential()
        for _ in range(depth):
            self.blocks.append(ResidualBlock(hidden_features, dropout))

        self.norm = nn.LayerNorm(hidden_features)
        self.output_layer = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.output_layer(self.norm(self.blocks(self.input_layer(x))))
