# expect-fail:
"""Position of the maximal running count of real tokens, selected with torch.gather."""

import torch
from torch import Tensor


def validate_inputs(hidden: Tensor, mask: Tensor) -> None:
    if len(hidden.shape) != 3 or mask.shape != hidden.shape[:2]:
        raise ValueError("hidden must be [B, T, F] and mask [B, T]")
    counts = mask.ne(0).sum(-1)
    if counts.min() < 1:
        raise ValueError("every row of mask must contain a real token")


def last_token(hidden: Tensor, mask: Tensor) -> Tensor:
    validate_inputs(hidden, mask)
    real = mask.ne(0)
    running = real.cumsum(dim=1)                       # count of real tokens up to t
    # the last real position is the first t where the running count reaches the row's total
    last = (running == running[:, -1:]).int().argmax(dim=1, keepdim=True)   # [B, 1]
    index = last.unsqueeze(-1).expand(-1, 1, hidden.shape[-1])            # [B, 1, F]
    return torch.gather(hidden, 1, index).squeeze(1)
