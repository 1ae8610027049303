# expect-fail: left_padding masks_with_gaps
"""Counts the real tokens and takes length - 1: only right for right padding."""

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
    lengths = (mask != 0).sum(dim=1)
    batch = torch.arange(hidden.shape[0], device=hidden.device)
    return hidden[batch, lengths - 1]
