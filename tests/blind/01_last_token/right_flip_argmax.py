# blind-right: flips the mask and takes argmax of the first real token from the right, then index_select on a reshape (not view) of hidden.
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
    from_right = (mask != 0).flip(1).to(torch.uint8).argmax(dim=1)
    last = (T - 1) - from_right
    flat_index = torch.arange(B, device=hidden.device) * T + last.to(hidden.device)
    return hidden.reshape(B * T, F).index_select(0, flat_index)
