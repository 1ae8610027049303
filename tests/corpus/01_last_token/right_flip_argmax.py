# expect-fail:
"""Flips the mask, takes the first real token from the end with argmax, gathers with index_select-style indexing."""

import torch
from torch import Tensor


def validate_inputs(hidden: Tensor, mask: Tensor) -> None:
    if hidden.ndim != 3:
        raise ValueError(f"expected hidden [B, T, F], got {list(hidden.shape)}")
    if tuple(mask.shape) != tuple(hidden.shape[:2]):
        raise ValueError(f"expected mask {list(hidden.shape[:2])}, got {list(mask.shape)}")
    if (mask.to(torch.bool).sum(dim=1) == 0).any():
        raise ValueError("a row of mask has no real token")


def last_token(hidden: Tensor, mask: Tensor) -> Tensor:
    validate_inputs(hidden, mask)
    B, T, _ = hidden.shape
    # argmax returns the first maximum: on the flipped mask that is the last real token.
    from_end = mask.to(torch.uint8).flip(dims=[1]).argmax(dim=1)
    last = (T - 1) - from_end
    flat = hidden.reshape(B * T, -1)
    return flat.index_select(0, torch.arange(B, device=hidden.device) * T + last)
