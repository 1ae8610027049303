# blind-wrong: raises TypeError (not ValueError) when hidden is not 3-D, because a wrong rank "is the wrong kind of tensor".
import torch
from torch import Tensor


def validate_inputs(hidden: Tensor, mask: Tensor) -> None:
    if hidden.dim() != 3:
        raise TypeError(f"hidden must be a 3-D tensor, got {hidden.dim()}-D")
    if mask.shape != hidden.shape[:2]:
        raise ValueError("mask must be [B, T]")
    if not bool((mask != 0).any(dim=1).all()):
        raise ValueError("every row needs a real token")


def last_token(hidden: Tensor, mask: Tensor) -> Tensor:
    validate_inputs(hidden, mask)
    B, T, _ = hidden.shape
    positions = torch.arange(T, device=mask.device)
    last = torch.where(mask != 0, positions, -1).amax(dim=1)
    return hidden[torch.arange(B, device=hidden.device), last]
