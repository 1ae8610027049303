# expect-fail: gradients_reach_selected_positions
"""Selects under torch.no_grad() ("pooling needs no gradients"): nothing flows back."""

import torch
from torch import Tensor


def validate_inputs(hidden: Tensor, mask: Tensor) -> None:
    if hidden.dim() != 3:
        raise ValueError("hidden must be [B, T, F]")
    if mask.shape != hidden.shape[:2]:
        raise ValueError("mask must be [B, T]")
    if not (mask != 0).any(dim=1).all():
        raise ValueError("every row needs a real token")


def last_token(hidden: Tensor, mask: Tensor) -> Tensor:
    validate_inputs(hidden, mask)
    with torch.no_grad():
        positions = torch.arange(mask.shape[1], device=mask.device)
        last = torch.where(mask != 0, positions, -1).amax(dim=1)
        return hidden[torch.arange(hidden.shape[0], device=hidden.device), last]
