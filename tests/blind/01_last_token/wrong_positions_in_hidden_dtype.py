# blind-wrong: builds the positions with arange(T, dtype=hidden.dtype), so in bfloat16/float16 long sequences round to the wrong index.
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
    B, T, _ = hidden.shape
    positions = torch.arange(T, dtype=hidden.dtype, device=hidden.device)
    neg = torch.full_like(positions, -1)
    last = torch.where(mask != 0, positions, neg).amax(dim=1).long()
    return hidden[torch.arange(B, device=hidden.device), last]
