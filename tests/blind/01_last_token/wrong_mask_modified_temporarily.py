# blind-wrong: multiplies the caller's int64 mask by the positions in place and divides it back at the end, so the mask is changed while the function runs (and the version counter moves).
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
    m = mask.long()                       # same tensor when mask is int64
    positions = torch.arange(1, T + 1, device=mask.device)
    m *= positions
    last = m.amax(dim=1) - 1
    m.div_(positions, rounding_mode="floor")  # put the 0/1 values back
    return hidden[torch.arange(B, device=hidden.device), last]
