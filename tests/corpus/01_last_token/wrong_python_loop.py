# expect-fail: no_python_loop_over_batch
"""Correct values, but loops over the rows of the batch in Python."""

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
    rows = []
    for b in range(hidden.shape[0]):
        positions = torch.nonzero(mask[b]).flatten()
        rows.append(hidden[b, positions[-1]])
    return torch.stack(rows)
