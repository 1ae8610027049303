# expect-fail:
"""Correct and compact: the last real token is T - 1 minus the first real one from the end."""

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
    from_end = (mask != 0).flip(dims=[1]).to(torch.uint8).argmax(dim=1)
    last = mask.shape[1] - 1 - from_end
    return hidden[torch.arange(hidden.shape[0], device=hidden.device), last]
