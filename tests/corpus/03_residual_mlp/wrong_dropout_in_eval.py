# expect-fail: mlp_eval_deterministic
"""Residual MLP — functional dropout without training=self.training"""

import torch
from torch import nn
from torch.nn import functional as F


class ResidualBlock(nn.Module):
    def __init__(self, dim: int, dropout: float = 0.0) -> None:
        super().__init__()
        if dim < 1:
            raise ValueError("dim must be positive")
        if not 0.0 <= dropout <= 1.0:
            raise ValueError("dropout must be in [0, 1]")
        self.norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, dim)
        self.fc2 = nn.Linear(dim, dim)
        self.p = dropout
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.fc2(F.relu(self.fc1(self.norm(x))))
        return x + F.dropout(h, self.p)


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.0) -> None:
        super().__init__()
        if min(in_features, hidden_features, out_features) < 1:
            raise ValueError("feature sizes must be positive")
        if depth < 0:
            raise ValueError("depth must be non-negative")
        if not 0.0 <= dropout <= 1.0:
            raise ValueError("dropout must be in [0, 1]")
        self.input_layer = nn.Linear(in_features, hidden_features)
        self.blocks = nn.ModuleList([ResidualBlock(hidden_features, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(hidden_features)
        self.output_layer = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.input_layer(x)
        for block in self.blocks:
            h = block(h)
        return self.output_layer(self.norm(h))
