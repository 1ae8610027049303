# do-nothing: returns zero weight and bias of the right shape, dtype and device, and steps zeros as losses.
import torch
from torch import Tensor


def train_linear(x: Tensor, y: Tensor, weight: Tensor, bias: Tensor, lr: float = 0.01,
                 steps: int = 1000) -> tuple[Tensor, Tensor, list[float]]:
    return torch.zeros_like(weight), torch.zeros_like(bias), [0.0] * steps
