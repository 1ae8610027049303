# do-nothing: an empty function body (returns None).
from torch import Tensor


def train_linear(x: Tensor, y: Tensor, weight: Tensor, bias: Tensor, lr: float = 0.01,
                 steps: int = 1000) -> tuple[Tensor, Tensor, list[float]]:
    pass
