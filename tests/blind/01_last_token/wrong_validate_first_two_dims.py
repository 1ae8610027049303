# blind-wrong: compares only mask.shape[0] and mask.shape[1] with B and T, so a 3-D mask [B, T, 1] is accepted.
import torch
from torch import Tensor


def validate_inputs(hidden: Tensor, mask: Tensor) -> None:
    if hidden.dim() != 3:
        raise ValueError("hidden must be 3-D")
    B, T = hidden.shape[0], hidden.shape[1]
    if mask.dim() < 2 or mask.shape[0] != B or mask.shape[1] != T:
        raise ValueError("mask must be [B, T]")
    m = mask.reshape(B, T, -1).any(dim=-1)
    if not bool((m != 0).any(dim=1).all()):
        raise ValueError("every row needs a real token")


def last_token(hidden: Tensor, mask: Tensor) -> Tensor:
    validate_inputs(hidden, mask)
    B, T, _ = hidden.shape
    m = mask.reshape(B, T, -1).any(dim=-1)
    positions = torch.arange(T, device=mask.device)
    last = torch.where(m, positions, -1).amax(dim=1)
    return hidden[torch.arange(B, device=hidden.device), last]
