# blind-right: multiplies a (new) long copy of the mask by the positions and takes max(...).indices-free max values, then indexes with advanced indexing.
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
    positions = torch.arange(T, device=mask.device)
    last = ((mask != 0).long() * positions).max(dim=1).values
    return hidden[torch.arange(B, device=hidden.device), last.to(hidden.device)]
