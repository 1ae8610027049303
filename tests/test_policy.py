"""Rules decided in the judge from the source: names resolved through aliases, dynamic access refused."""

from __future__ import annotations

import pytest

from grader.judge.compare import CheckFailure
from grader.judge.policy import Policy, expect_policy, violations

POLICY = Policy({"torch.optim": "update the parameters by hand", "torch.nn.functional.silu": "write Swish yourself"})


def names(src: str, policy: Policy = POLICY) -> list[tuple[int, str]]:
    return [(v.line, v.name) for v in violations({"s.py": src}, policy)]


@pytest.mark.parametrize("src", [
    "import torch\ntorch.optim.SGD([], lr=0.1)",
    "import torch.optim as o\no.SGD",
    "from torch import optim\noptim.SGD",
    "from torch.optim import SGD as S\nS",
    "import torch\nopt = torch.optim\nopt.SGD",
    "import torch\ngetattr(torch, 'optim').SGD",
    "import torch.nn.functional as F\nF.silu(x)",
    "from torch.nn import functional\nfunctional.silu(x)",
    "from torch.nn.functional import silu\nsilu(x)",
])
def test_forbidden_names_are_found_through_aliases(src: str) -> None:
    found = names(src)
    assert found, src
    assert all(line >= 1 for line, _ in found)


@pytest.mark.parametrize("src, what", [
    ("import torch\ngetattr(torch, 'op' + 'tim')", "getattr"),
    ("__import__('torch.optim')", "__import__"),
    ("import importlib\nimportlib.import_module('torch.optim')", "importlib"),
    ("exec('import torch.optim')", "exec"),
    ("eval('1')", "eval"),
    ("g = globals()", "globals"),
    ("import sys\nsys.modules['torch']", "sys.modules"),
    ("import torch\nwith torch._C.DisableTorchFunction():\n    pass", "torch._C.DisableTorchFunction"),
    ("x = int.__subclasses__()", "int.__subclasses__"),
    ("from torch import *", "from torch import *"),
])
def test_dynamic_access_is_a_violation(src: str, what: str) -> None:
    assert what in [n for _, n in names(src)], names(src)


@pytest.mark.parametrize("src", [
    "import torch\nimport torch.nn.functional as F\ny = F.relu(x) * torch.sigmoid(x)\nm.modules()",
    "import torch\nclass Swish(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n        return x * torch.sigmoid(x)",
    "import math\ngetattr(obj, 'weight')",
    "def f(:\n",  # a syntax error is the import's to report
])
def test_ordinary_code_passes(src: str) -> None:
    assert names(src) == []


def test_dynamic_access_can_be_allowed_and_lines_are_reported() -> None:
    relaxed = Policy(POLICY.forbidden, dynamic_access=False)
    assert names("eval('1')", relaxed) == []
    with pytest.raises(CheckFailure) as info:
        expect_policy({"a.py": "\n\nimport torch.optim\n"}, POLICY, rule="do not use torch.optim")
    assert "a.py:3" in str(info.value.message) and info.value.details["violations"][0]["line"] == 3
