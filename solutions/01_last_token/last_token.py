"""Exercise 01 — last-token pooling (reference solution)."""

import torch
from torch import Tensor


def validate_inputs(hidden: Tensor, mask: Tensor) -> None:
    """Raise ValueError unless ``hidden`` is [B, T, F], ``mask`` is [B, T] and
    every row of ``mask`` marks at least one real token."""
    if hidden.dim() != 3:
        raise ValueError(f"hidden must be 3-D [B, T, F], got shape {tuple(hidden.shape)}")
    if mask.shape != hidden.shape[:2]:
        raise ValueError(
            f"mask must have shape {tuple(hidden.shape[:2])} (hidden's first two dims), "
            f"got {tuple(mask.shape)}"
        )
    # One reduction over the whole batch: no Python loop over rows.
    has_token = (mask != 0).any(dim=1)
    if not bool(has_token.all()):
        empty = torch.nonzero(~has_token).flatten().tolist()
        raise ValueError(f"every row of mask needs at least one real token; rows {empty} have none")


def last_token(hidden: Tensor, mask: Tensor) -> Tensor:
    """Return ``hidden[b, t_b]`` for every row b, where t_b is the last position
    with ``mask[b, t_b] != 0``. Works for right padding, left padding and masks
    with gaps. Shape [B, F], same dtype and device as ``hidden``."""
    validate_inputs(hidden, mask)
    batch, length = mask.shape
    # Position t where mask is real, -1 elsewhere; the row maximum is the last real position.
    # (mask != 0) accepts bool and integer 0/1 masks and never writes to the caller's mask.
    positions = torch.arange(length, device=mask.device)
    last = torch.where(mask != 0, positions, -1).amax(dim=1)  # [B]
    rows = torch.arange(batch, device=hidden.device)
    # Advanced indexing: one gather for the whole batch; its backward puts the
    # incoming gradient exactly at the selected positions.
    return hidden[rows, last.to(hidden.device)]
