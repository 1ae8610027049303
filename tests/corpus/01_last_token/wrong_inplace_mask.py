# expect-fail: inputs_not_modified
"""Multiplies the mask by the positions in place: mask.long() is the caller's tensor when mask is int64."""

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
    weighted = mask.long()
    weighted *= torch.arange(1, mask.shape[1] + 1, device=mask.device)   # position + 1 where real, else 0
    last = weighted.argmax(dim=1)
    return hidden[torch.arange(hidden.shape[0], device=hidden.device), last]
