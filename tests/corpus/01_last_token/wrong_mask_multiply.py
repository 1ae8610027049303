# expect-fail: padding_values_ignored
"""Multiplies by a one-hot mask and sums over T: 0 * inf = NaN leaks from padding."""

import torch
import torch.nn.functional as F
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
    T = mask.shape[1]
    positions = torch.arange(T, device=mask.device)
    last = torch.where(mask != 0, positions, -1).amax(dim=1)
    one_hot = F.one_hot(last, T).to(hidden.dtype)          # [B, T]
    return (hidden * one_hot.unsqueeze(-1)).sum(dim=1)
