# blind-wrong: calls mask.unsqueeze_(-1) to broadcast against hidden, which changes the caller's mask to shape [B, T, 1] (values unchanged).
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
    m = mask.unsqueeze_(-1)                # [B, T, 1]
    positions = torch.arange(T, device=mask.device).view(1, T, 1)
    last = torch.where(m != 0, positions, -1).amax(dim=1).squeeze(-1)
    return hidden[torch.arange(B, device=hidden.device), last]
