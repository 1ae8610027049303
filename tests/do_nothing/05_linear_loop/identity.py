# do-nothing: returns copies of the initial weight and bias untouched, with constant losses.
from torch import Tensor


def train_linear(x: Tensor, y: Tensor, weight: Tensor, bias: Tensor, lr: float = 0.01,
                 steps: int = 1000) -> tuple[Tensor, Tensor, list[float]]:
    return weight.detach().clone(), bias.detach().clone(), [0.0] * steps
