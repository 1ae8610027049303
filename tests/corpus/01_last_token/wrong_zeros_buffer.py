# expect-fail: low_and_high_precision
"""Preallocates the output with torch.zeros(B, F): float32 on the CPU, whatever hidden is."""

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
    out = torch.zeros(B, F)
    out[:] = hidden[torch.arange(B, device=hidden.device), last]
    return out
