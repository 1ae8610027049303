# blind-wrong: accumulates into torch.zeros(B, F) created without dtype=, so float16/bfloat16 inputs come back as float32.
import torch
from torch import Tensor

def validate_inputs(hidden: Tensor, mask: Tensor) -> None:
    if hidden.dim() != 3:
        raise ValueError(f"hidden must be 3-D, got {tuple(hidden.shape)}")
    if mask.shape != hidden.shape[:2]:
        raise ValueError(f"mask must have shape {tuple(hidden.shape[:2])}, got {tuple(mask.shape)}")
    if not bool((mask != 0).any(dim=1).all()):
        raise ValueError("every row of mask needs at least one real token")


def last_token(hidden: Tensor, mask: Tensor) -> Tensor:
    validate_inputs(hidden, mask)
    B, T, F = hidden.shape
    positions = torch.arange(T, device=mask.device)
    last = torch.where(mask != 0, positions, -1).amax(dim=1)
    out = torch.zeros(B, F, device=hidden.device)
    return out + hidden[torch.arange(B, device=hidden.device), last]
