# expect-fail: small_shapes
"""Gathers with torch.gather and calls .squeeze(): collapses B = 1 and F = 1."""

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
    B, T, F = hidden.shape
    positions = torch.arange(T, device=mask.device)
    last = torch.where(mask != 0, positions, -1).amax(dim=1)
    index = last.view(B, 1, 1).expand(B, 1, F)
    return hidden.gather(1, index).squeeze()
