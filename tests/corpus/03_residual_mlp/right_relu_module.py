# expect-fail:
"""Residual MLP with nn.ReLU modules, a Sequential grown by add_module and a functional dropout."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def _positive(**sizes):
    for name, value in sizes.items():
        if value <= 0:
            raise ValueError(f"{name}={value}: must be at least 1")


def _probability(p):
    if math.isnan(p) or p < 0 or p > 1:
        raise ValueError(f"dropout={p}: not a probability")


class ResidualBlock(nn.Module):
    def __init__(self, dim, dropout=0.0):
        super().__init__()
        _positive(dim=dim)
        _probability(dropout)
        self.norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, dim)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(dim, dim)
        self.dropout = nn.Dropout(p=dropout)

    def branch(self, x):
        return self.fc2(self.act(self.fc1(self.norm(x))))

    def forward(self, x):
        # same as nn.Dropout: scale kept values by 1 / (1 - p) in training mode only
        return torch.add(x, F.dropout(self.branch(x), self.dropout.p, training=self.training))


class ResidualMLP(nn.Module):
    def __init__(self, in_features, hidden_features, out_features, depth, dropout=0.0):
        super().__init__()
        _positive(in_features=in_features, hidden_features=hidden_features, out_features=out_features)
        if depth < 0:
            raise ValueError(f"depth={depth}: must be >= 0")
        _probability(dropout)
        self.input_layer = nn.Linear(in_features, hidden_features)
        self.blocks = nn.Sequential()
        for i in range(depth):
            self.blocks.add_module(str(i), ResidualBlock(hidden_features, dropout))
        self.norm = nn.LayerNorm(hidden_features)
        self.output_layer = nn.Linear(hidden_features, out_features)

    def forward(self, x):
        x = self.input_layer(x)
        x = self.blocks(x)
        x = self.norm(x)
        return self.output_layer(x)
