# expect-fail: masks_with_gaps
"""Finds the first padding position and steps back one: wrong when the mask has gaps."""

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
    real = mask != 0
    first_pad = (~real).int().argmax(dim=1)          # 0 when the row has no padding
    # no padding at all -> last position; otherwise the position before the first pad
    # (for left padding first_pad == 0, so -1 wraps to T - 1, which happens to be right)
    idx = torch.where(real.all(dim=1), torch.full_like(first_pad, mask.shape[1] - 1), first_pad - 1)
    return hidden[torch.arange(hidden.shape[0], device=hidden.device), idx]
