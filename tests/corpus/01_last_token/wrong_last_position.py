# expect-fail: right_padding masks_with_gaps integer_masks low_and_high_precision small_shapes gradients_reach_selected_positions padding_values_ignored
"""Takes the last position of every row, ignoring the mask."""

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
    return hidden[:, -1, :]
