# blind-wrong: validate_inputs checks the rows one by one in a Python loop, so last_token's op count grows with the batch.
import torch
from torch import Tensor


def validate_inputs(hidden: Tensor, mask: Tensor) -> None:
    if hidden.dim() != 3:
        raise ValueError("hidden must be 3-D")
    if mask.shape != hidden.shape[:2]:
        raise ValueError("mask must be [B, T]")
    for b, row in enumerate(mask):
        if not row.any():
            raise ValueError(f"row {b} has no real token")


def last_token(hidden: Tensor, mask: Tensor) -> Tensor:
    validate_inputs(hidden, mask)
    B, T, _ = hidden.shape
    positions = torch.arange(T, device=mask.device)
    last = torch.where(mask != 0, positions, -1).amax(dim=1)
    return hidden[torch.arange(B, device=hidden.device), last]
