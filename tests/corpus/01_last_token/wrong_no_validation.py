# expect-fail: rejects_bad_shapes rejects_empty_rows
"""Vectorised and correct on valid inputs, but never raises ValueError."""

import torch
from torch import Tensor


def validate_inputs(hidden: Tensor, mask: Tensor) -> None:
    pass  # "the caller always passes good inputs"


def last_token(hidden: Tensor, mask: Tensor) -> Tensor:
    validate_inputs(hidden, mask)
    positions = torch.arange(mask.shape[-1], device=mask.device)
    last = torch.where(mask != 0, positions, -1).amax(dim=-1)
    return hidden[torch.arange(hidden.shape[0], device=hidden.device), last]
