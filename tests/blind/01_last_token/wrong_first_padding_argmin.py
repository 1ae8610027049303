# blind-wrong: takes the first padding position minus one (argmin of the mask), falling back to T - 1 when a row has no padding, which is wrong for left padding and gaps.
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
    m = (mask != 0).to(torch.int8)
    has_pad = (m == 0).any(dim=1)
    last = torch.where(has_pad, m.argmin(dim=1) - 1, T - 1)
    return hidden[torch.arange(B, device=hidden.device), last]
