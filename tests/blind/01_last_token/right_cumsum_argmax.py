# blind-right: the last real token is the first position where the cumulative count of real tokens reaches its maximum; gathers with torch.gather.
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
    counts = (mask != 0).to(torch.int32).cumsum(dim=1)
    last = counts.argmax(dim=1)                 # first index of the maximum
    index = last.to(hidden.device).reshape(B, 1, 1).expand(B, 1, F)
    return torch.gather(hidden, 1, index).reshape(B, F)
