"""Exercise 02's rules, decided from the source: the ways round them that students write are caught,
and ordinary code (self-tests under the main guard, an unused import of F) is not."""

from __future__ import annotations

import pytest

from grader.suites.ex02_swish import rules

HEADER = "import torch\nfrom torch import nn\n"


def hits(body: str, policy) -> list[str]:
    return [v.name for v in rules.found({"swish.py": HEADER + body}, policy)]


@pytest.mark.parametrize("body", [
    "import torch.nn.functional as F\ny = F.silu(x)",
    "from torch.nn.functional import silu as act\ny = act(x)",
    "y = nn.functional.silu(x)",
    "y = nn.SiLU()(x)",
    "y = torch.nn.modules.activation.SiLU()(x)",
    "y = x * nn.Sigmoid()(x)",
    "y = torch.ops.aten.silu(x)",
    "y = torch.nn.modules.activation.F.silu(x)",
    "y = torch.nn.modules.linear.F.silu(x)",
    "from torch.nn.modules.activation import F\ny = F.silu(x)",
    "y = torch._C._nn.silu(x)",
    "act = getattr(nn.functional, 'si' + 'lu')",
    "act = getattr(nn.functional, 'silu')",
    "act = eval('torch.nn.functional.silu')",
    "act = __import__('torch').nn.functional.silu",
    "F = nn.functional\nact = F.silu",
])
def test_builtin_silu_is_found(body: str) -> None:
    assert hits(body, rules.NO_BUILTIN_SILU), body


@pytest.mark.parametrize("body", [
    "g, = torch.autograd.grad(y, x, g)",
    "from torch.autograd import grad\ngrad(y, x)",
    "y.backward(g)",
    "torch.Tensor.backward(y, g)",
    "getattr(y, 'backward')(g)",
    "with torch.enable_grad():\n    pass",
    "with torch.set_grad_enabled(True):\n    pass",
    "with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):\n    pass",
    "from torch.func import vjp",
    "g = torch.ops.aten.silu_backward(g, x)",
    "torch.autograd.functional.vjp(f, x, g)",
    "grad = getattr(torch.autograd, 'gr' + 'ad')",
])
def test_autograd_in_backward_is_found(body: str) -> None:
    assert hits(body, rules.BACKWARD_BY_HAND), body


def test_ordinary_code_and_main_guard_self_tests_pass() -> None:
    body = (
        "import torch.nn.functional as F\n"
        "class SwishFunction(torch.autograd.Function):\n"
        "    @staticmethod\n    def forward(ctx, x):\n        ctx.save_for_backward(x)\n"
        "        return x * torch.special.expit(x)\n"
        "    @staticmethod\n    def backward(ctx, g):\n        x, = ctx.saved_tensors\n"
        "        s = x.sigmoid()\n        return g * s * (1 + x * (1 - s))\n"
        "class Swish(nn.Module):\n    def forward(self, x):\n        return x\n"
        "if __name__ == '__main__':\n"
        "    x = torch.randn(3, requires_grad=True)\n    F.silu(x).sum().backward()\n"
        "    torch.autograd.grad(F.silu(x).sum(), x)\n"
    )
    assert hits(body, rules.NO_BUILTIN_SILU) == []
    assert hits(body, rules.BACKWARD_BY_HAND) == []


def test_main_guard_blanking_keeps_line_numbers() -> None:
    text = "a = 1\nif __name__ == '__main__':\n    y.backward()\nimport torch.nn.functional as F\nF.silu(x)\n"
    [v] = rules.found({"swish.py": text}, rules.NO_BUILTIN_SILU)
    assert v.line == 5
    assert rules.found({"swish.py": text}, rules.BACKWARD_BY_HAND) == []


@pytest.mark.parametrize("body, bad", [
    ("y = (x * torch.sigmoid(x)).cpu()", True),
    ("s = torch.sigmoid(x.cuda())", True),
    ("one = torch.ones(3, device='cuda')", True),
    ("one = torch.ones(3, device=torch.device('cpu'))", True),
    ("y = x.to('cuda:0')", True),
    ("one = torch.ones_like(x)", False),
    ("one = torch.ones(3, device=x.device, dtype=x.dtype)", False),
    ("y = x.to(torch.float32)", False),
    ("ok = x.device.type == 'cuda'", False),
    ("if __name__ == '__main__':\n    print(torch.ones(2).cuda())", False),
])
def test_hardcoded_devices(body: str, bad: bool) -> None:
    assert bool(rules.hardcoded_devices({"swish.py": HEADER + body})) == bad, body
