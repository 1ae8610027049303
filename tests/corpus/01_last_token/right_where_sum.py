# expect-fail:
"""Builds a one-hot of the last real position and sums torch.where(one_hot, hidden, 0) over T."""

import torch
from torch import Tensor


def validate_inputs(hidden: Tensor, mask: Tensor) -> None:
    if hidden.dim() != 3:
        raise ValueError("hidden must be 3-D")
    if mask.shape != hidden.shape[:-1]:
        raise ValueError("mask must match hidden's first two dimensions")
    if not torch.all(torch.any(mask.bool(), dim=1)):
        raise ValueError("empty row in mask")


def last_token(hidden: Tensor, mask: Tensor) -> Tensor:
    validate_inputs(hidden, mask)
    real = mask.bool()
    # a position is the last real one if it is real and nothing real comes after it
    after = real.flip(1).cumsum(1).flip(1) - real.long()      # number of real tokens strictly after t
    is_last = real & (after == 0)                              # exactly one True per row
    # where() selects, so inf/NaN at other positions never reach the sum
    return torch.where(is_last.unsqueeze(-1), hidden, torch.zeros((), dtype=hidden.dtype, device=hidden.device)).sum(1)
