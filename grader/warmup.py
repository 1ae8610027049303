"""Slow first-use costs of torch, paid once in a warm process instead of in every sandbox.

Shared by the warm sandbox process and the judge, which both pay them when an exercise needs them.
"""

from __future__ import annotations

from collections.abc import Callable


def optimizers() -> None:
    """The first optimizer imports torch._dynamo (~1.3 s), as do dispatch modes."""
    import torch

    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    optimizer.step()
    torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, 2).step()


WARMUPS: dict[str, Callable[[], None]] = {"optimizers": optimizers}


def run(names: list[str] | tuple[str, ...]) -> None:
    for name in names:
        WARMUPS[name]()
