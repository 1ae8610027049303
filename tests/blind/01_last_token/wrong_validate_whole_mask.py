# blind-wrong: checks that the mask as a whole has a real token (mask.any()) instead of every row, so an all-padding row slips through.
import torch
from torch import Tensor


def validate_inputs(hidden: Tensor, mask: Tensor) -> None:
    if hidden.dim() != 3:
        raise ValueError("hidden must be 3-D")
    if mask.shape != hidden.shape[:2]:
        raise ValueError("mask must be [B, T]")
    if not mask.any():
        raise ValueError("mask has no real token")


def last_token(hidden: Tensor, mask: Tensor) -> Tensor:
    validate_inputs(hidden, mask)
    B, T, _ = hidden.shape
    positions = torch.arange(T, device=mask.device)
    last = torch.where(mask != 0, positions, -1).amax(dim=1)
    return hidden[torch.arange(B, device=hidden.device), last]
