"""Exercise 05's rule (no torch.optim, no torch.nn modules) is decided from the source in the judge:
the ways the blind set hid an optimizer from a run-time watch are violations, plain functional code is not."""

from __future__ import annotations

import pytest

from grader.judge.policy import violations
from grader.suites.ex05_linear_loop.checks import RULE_POLICY

HIDDEN = {
    "computed getattr": 'import torch\nopt = getattr(torch, "op" + "tim")\n',
    "dunder import": 'sgd = __import__("torch.optim._functional", fromlist=["sgd"]).sgd\n',
    "importlib": 'import importlib\nm = importlib.import_module("torch.optim")\n',
    "restored constructor": "import torch\ninit = torch.optim.Optimizer.__init__\ntorch.optim.Optimizer.__init__ = init\n",
    "nn alias": "from torch import nn\nclass M(nn.Module):\n    pass\n",
    "from nn import": "from torch.nn import Linear\n",
    "modules path": "import torch.nn.modules.loss as L\nloss = L.MSELoss()\n",
    "alias chain": "import torch\nt = torch\nn = t.nn\nlayer = n.Linear(3, 1)\n",
    "torch._C": "import torch\nf = torch._C._nn.linear\n",
    "sys.modules": 'import sys\nopt = sys.modules["torch.optim"]\n',
}

ALLOWED = """
import torch
import torch.nn.functional as F
from torch import nn


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    w = nn.Parameter(weight.detach().clone())
    nn.init.zeros_(torch.empty(1))
    loss = F.mse_loss(F.linear(x, w, bias), y)
    return torch.nn.functional.linear(x, w), getattr(w, "grad"), [loss.item()]
"""


@pytest.mark.parametrize("source", HIDDEN.values(), ids=HIDDEN.keys())
def test_hidden_optimizer_or_module_is_a_violation(source: str) -> None:
    assert violations({"train_linear.py": source}, RULE_POLICY)


def test_functional_code_parameters_and_init_are_allowed() -> None:
    assert violations({"train_linear.py": ALLOWED}, RULE_POLICY) == []
