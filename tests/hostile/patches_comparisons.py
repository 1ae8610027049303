# expect: failed
# Makes every comparison in its own process succeed, then returns wrong values.
import math

import torch

torch.allclose = lambda *a, **k: True
torch.equal = lambda *a, **k: True
torch.isclose = lambda a, b, *r, **k: torch.ones_like(a, dtype=torch.bool)
torch.testing.assert_close = lambda *a, **k: None
torch.Tensor.__eq__ = lambda self, other: torch.ones_like(self, dtype=torch.bool)
math.isclose = lambda *a, **k: True


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    return weight.detach().clone() * 0, bias.detach().clone() * 0, [0.0] * steps
