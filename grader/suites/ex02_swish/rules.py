"""The rules of exercise 02 about what code may use, decided in the judge from the student's source.

A run-time watch inside the sandbox (saved-tensor hooks during backward) is forged by code that
installs its own hooks; the source is not. Code under `if __name__ == "__main__":` never runs when
the grader imports the file, so a self-test there (y.backward(), F.silu for comparison) is allowed.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Mapping

import torch
import torch.nn.functional as F

from grader.i18n import Msg, _
from grader.judge.policy import Policy, Violation, aliases, describe, dotted, violations

_SILU = _("Swish must be computed by your formula (torch.sigmoid and arithmetic), not by a built-in")


def _functional_names() -> dict[str, Msg]:
    """Every function of torch.nn.functional and every activation module of torch.nn."""
    names = {f"torch.nn.functional.{n}": _SILU for n, v in vars(F).items()
             if not n.startswith("_") and (inspect.isfunction(v) or inspect.isbuiltin(v) or callable(v))
             and not inspect.ismodule(v) and not inspect.isclass(v)}
    for n in torch.nn.modules.activation.__all__:
        for where in ("torch.nn", "torch.nn.modules", "torch.nn.modules.activation"):
            names[f"{where}.{n}"] = _SILU
    return names


NO_BUILTIN_SILU = Policy(forbidden={
    **_functional_names(),
    "torch.ops": _("torch.ops reaches ATen kernels (aten.silu, aten.silu_backward) instead of your formula"),
})

_BY_HAND = _("the gradient must come from your formula in backward, not from autograd")
_GRAD_MODE = _("backward runs without grad mode; turning it on is how a second graph gets built")
BACKWARD_BY_HAND = Policy(forbidden={
    "torch.autograd.grad": _BY_HAND, "torch.autograd.backward": _BY_HAND, "torch.Tensor.backward": _BY_HAND,
    "torch.autograd.functional": _BY_HAND, "torch.func": _BY_HAND, "torch.autograd.forward_ad": _BY_HAND,
    "torch.enable_grad": _GRAD_MODE,
    "torch.set_grad_enabled": _GRAD_MODE,
    "torch.autograd.enable_grad": _GRAD_MODE,
    "torch.autograd.set_grad_enabled": _GRAD_MODE,
    "torch.autograd.grad_mode": _GRAD_MODE,
    "torch.autograd.graph": _("saved-tensor hooks and graph internals are not needed for a hand-written backward"),
    "torch.ops": _("torch.ops kernels (aten.silu_backward) compute the gradient instead of your formula"),
})


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare) or node.orelse:
        return False
    sides = [node.test.left, *node.test.comparators]
    return (len(sides) == 2 and isinstance(node.test.ops[0], ast.Eq)
            and any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
            and any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides))


def graded_source(text: str) -> str:
    """`text` with top-level `if __name__ == "__main__":` blocks blanked (line numbers kept)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return text
    lines = text.splitlines()
    for node in tree.body:
        if _is_main_guard(node):
            for i in range(node.lineno - 1, node.end_lineno or node.lineno):
                lines[i] = ""
    return "\n".join(lines) + "\n"


def _backward_calls(file: str, text: str) -> list[Violation]:
    """`<anything>.backward` read anywhere: `.backward()` runs autograd (the Function's own method
    is defined with `def`, never read)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "backward" and isinstance(node.ctx, ast.Load):
            found.append(Violation(file, node.lineno, ast.unparse(node), _BY_HAND))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
              and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and node.args[1].value == "backward"):
            found.append(Violation(file, node.lineno, ast.unparse(node), _BY_HAND))
    return found


# torch reaches SiLU from many places (torch.nn.modules.activation.F.silu, torch._C._nn.silu,
# torch.ops.aten.silu.default): any torch name ending in one of these is the built-in.
SILU_LEAVES = {"silu", "silu_", "SiLU", "silu_backward"}


def _silu_leaves(file: str, text: str) -> list[Violation]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    names_in_scope = aliases(tree)
    out = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Attribute):
            names = [dotted(node, names_in_scope) or ""]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{a.name}" for a in node.names]
        names += [s for n in names for s in [".".join(n.split(".")[:i]) for i in range(2, n.count(".") + 1)]]
        for name in names:
            if name.startswith("torch.") and name.rsplit(".", 1)[-1] in SILU_LEAVES:
                out.append(Violation(file, getattr(node, "lineno", 0), name, _SILU))
    return out


_DEVICE = _("the output must stay on x's device: use x.device, torch.*_like(x) or x.new_*()")


def _is_device_text(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value.split(":")[0] in ("cpu", "cuda", "mps", "xpu"))


def hardcoded_devices(sources: Mapping[str, str]) -> list[Violation]:
    """`.cpu()`, `.cuda()`, `.to("cuda")`, `device="cpu"`, `torch.device("cuda")` in graded code."""
    out = []
    for file, text in sorted(sources.items()):
        try:
            tree = ast.parse(graded_source(text))
        except (SyntaxError, ValueError):
            continue
        names_in_scope = aliases(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            hit = (isinstance(f, ast.Attribute) and f.attr in ("cpu", "cuda")
                   or isinstance(f, ast.Attribute) and f.attr == "to" and any(_is_device_text(a) for a in node.args)
                   or dotted(f, names_in_scope) == "torch.device" and any(_is_device_text(a) for a in node.args)
                   or any(k.arg == "device" and _is_device_text(k.value) for k in node.keywords))
            if hit:
                out.append(Violation(file, node.lineno, ast.unparse(node)[:80], _DEVICE))
    return out


def found(sources: Mapping[str, str], policy: Policy) -> list[Violation]:
    """Violations of `policy` in the code that runs (main-guard blocks left out)."""
    graded = {f: graded_source(t) for f, t in sources.items() if f.endswith(".py")}
    hits = violations(graded, policy)
    if policy is BACKWARD_BY_HAND:
        hits += [v for f, t in sorted(graded.items()) for v in _backward_calls(f, t)]
    if policy is NO_BUILTIN_SILU:
        hits += [v for f, t in sorted(graded.items()) for v in _silu_leaves(f, t)]
    return sorted({(v.file, v.line, v.name): v for v in hits}.values(), key=lambda v: (v.file, v.line, str(v.name)))


__all__ = ["BACKWARD_BY_HAND", "NO_BUILTIN_SILU", "describe", "found", "graded_source", "hardcoded_devices"]
