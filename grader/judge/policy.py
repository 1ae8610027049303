"""Rules of an exercise decided in the judge, from the submission's source: never inside its process.

A run-time check inside the sandbox can be forged by the code it watches (patched constructors,
restored globals), so the verdict on "do not use torch.optim" or "do not call F.silu" is taken
here, on the text the student handed in. Names are resolved through imports and aliases; any
dynamic access that could hide a name (computed getattr, __import__, importlib, exec, eval,
globals(), __dict__, sys.modules, torch._C, ...) is itself a violation in an exercise with rules,
because code that hides what it uses cannot be shown to follow them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from grader.i18n import Msg, Text, _

# Built-ins and attributes through which code can reach a name without writing it.
DYNAMIC_CALLS: dict[str, Text] = {
    "getattr": _("getattr() with a computed name"), "setattr": _("setattr() with a computed name"),
    "delattr": _("delattr() with a computed name"), "__import__": "__import__()", "exec": "exec()",
    "eval": "eval()", "compile": "compile()", "globals": "globals()", "vars": "vars()", "locals": "locals()",
}
DYNAMIC_MODULES: dict[str, Text] = {
    "importlib": _("the importlib module"), "builtins": _("the builtins module"), "ctypes": "ctypes",
    "inspect": _("the inspect module"), "gc": _("the gc module"), "operator": _("the operator module")}
DYNAMIC_ATTRIBUTES = {
    "__dict__", "__builtins__", "__subclasses__", "__globals__", "__getattribute__", "__import__", "__code__",
    "__closure__", "__mro__", "__bases__", "__base__", "__loader__", "__spec__", "modules",
}


@dataclass(frozen=True)
class Policy:
    """What an exercise forbids: dotted names (a name forbids everything below it) and why."""

    forbidden: Mapping[str, Text] = field(default_factory=dict)
    dynamic_access: bool = True  # computed access to names is a violation (it could hide a forbidden one)
    private_torch: bool = True   # torch._C, torch._dynamo, ...: internals that bypass what the rules watch


@dataclass(frozen=True)
class Violation:
    file: str
    line: int
    name: Text     # the dotted name or construct found, as written after resolving aliases (or a construct, described)
    reason: Text   # why it is not allowed, in the student's terms

    def as_text(self) -> Msg:
        return _("{file}:{line}: {name} — {reason}", file=self.file, line=str(self.line), name=self.name,
                 reason=self.reason)


def dotted(node: ast.AST, aliases: Mapping[str, str]) -> str | None:
    """`F.silu` -> 'torch.nn.functional.silu' when `F` is an alias of torch.nn.functional."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
            and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
        inner = dotted(node.args[0], aliases)  # getattr(torch, "optim") is torch.optim
        return ".".join([inner, node.args[1].value, *reversed(parts)]) if inner else None
    if not isinstance(node, ast.Name):
        return None
    root = aliases.get(node.id, node.id)
    return ".".join([root, *reversed(parts)])


def aliases(tree: ast.AST) -> dict[str, str]:
    """Names bound to modules or objects by imports and plain assignments (flow-insensitive)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                names[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                if a.name != "*":
                    names[a.asname or a.name] = f"{node.module}.{a.name}"
    for _round in range(3):  # x = torch.optim; y = x.SGD: a few rounds resolve chains of aliases
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                value = dotted(node.value, names) if isinstance(node.value, (ast.Attribute, ast.Name, ast.Call)) else None
                for t in targets:
                    if isinstance(t, ast.Name) and value and value.split(".")[0] in _rooted(names):
                        names[t.id] = value
    return names


def _rooted(aliases: Mapping[str, str]) -> set[str]:
    return {v.split(".")[0] for v in aliases.values()}


def _forbidden_reason(name: str, policy: Policy) -> Text | None:
    for prefix, why in policy.forbidden.items():
        if name == prefix or name.startswith(prefix + "."):
            return why
    return None


class _Finder(ast.NodeVisitor):
    def __init__(self, file: str, policy: Policy, aliases: dict[str, str]):
        self.file, self.policy, self.aliases = file, policy, aliases
        self.found: list[Violation] = []

    def _add(self, node: ast.AST, name: str, reason: Text) -> None:
        self.found.append(Violation(self.file, getattr(node, "lineno", 0), name, reason))

    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            self._module(node, a.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and not node.level:
            self._module(node, node.module)
            for a in node.names:
                if a.name == "*":
                    if self.policy.dynamic_access:
                        self._add(node, f"from {node.module} import *", _("a star import hides which names are used"))
                else:
                    self._name(node, f"{node.module}.{a.name}")

    def _module(self, node: ast.AST, module: str) -> None:
        self._name(node, module)
        top = module.split(".")[0]
        if self.policy.dynamic_access and top in DYNAMIC_MODULES:
            self._add(node, module, _("{what} can reach names without writing them", what=DYNAMIC_MODULES[top]))

    def _name(self, node: ast.AST, name: str) -> None:
        why = _forbidden_reason(name, self.policy)
        if why:
            self._add(node, name, why)
        elif self.policy.private_torch and any(p.startswith("_") and not p.startswith("__") for p in name.split(".")[1:2]) \
                and name.startswith("torch."):
            self._add(node, name, _("torch's private internals (names starting with _) are not part of this exercise"))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = dotted(node, self.aliases)
        if name:
            self._name(node, name)
        if self.policy.dynamic_access and node.attr in DYNAMIC_ATTRIBUTES and not (node.attr == "modules" and name != "sys.modules"):
            self._add(node, name or f".{node.attr}", _("reaching attributes through internals can hide what the code uses"))
        if name is None:
            self.generic_visit(node)
        else:
            # inner nodes resolve to a prefix of `name`: visit only calls and subscripts within
            for child in ast.walk(node.value):
                if isinstance(child, (ast.Call, ast.Subscript)):
                    self.visit(child)
                    break

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self.aliases and isinstance(node.ctx, ast.Load):
            self._name(node, self.aliases[node.id])
        if self.policy.dynamic_access and node.id in ("__builtins__", "__import__"):
            self._add(node, node.id, _("reaching built-ins through internals can hide what the code uses"))

    def visit_Call(self, node: ast.Call) -> None:
        f = node.func
        if self.policy.dynamic_access and isinstance(f, ast.Name) and f.id in DYNAMIC_CALLS:
            constant_name = (f.id in ("getattr", "setattr", "delattr") and len(node.args) >= 2
                             and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str))
            if not constant_name:
                self._add(node, f.id, _("{what} can reach any name without writing it", what=DYNAMIC_CALLS[f.id]))
            elif f.id == "getattr":
                name = dotted(node, self.aliases)
                if name:
                    self._name(node, name)
        self.generic_visit(node)


def violations(sources: Mapping[str, str], policy: Policy) -> list[Violation]:
    """Every place in the submission's Python files that breaks `policy`, in file and line order."""
    found: list[Violation] = []
    for file, text in sorted(sources.items()):
        try:
            tree = ast.parse(text, filename=file)
        except (SyntaxError, ValueError):
            continue  # reported by the import of the module, with its line
        finder = _Finder(file, policy, aliases(tree))
        finder.visit(tree)
        found += finder.found
    unique = {(v.file, v.line, v.name): v for v in found}
    return sorted(unique.values(), key=lambda v: (v.file, v.line, str(v.name)))


def describe(found: Iterable[Violation], limit: int = 5) -> Msg:
    """One message naming the first few violations with their lines."""
    found = list(found)
    listed = tuple(v.as_text() for v in found[:limit])
    if len(found) > limit:
        return _("{violations}; and {n} more", violations=listed, n=str(len(found) - limit))
    return _("{violations}", violations=listed)


def expect_policy(sources: Mapping[str, str], policy: Policy, *, rule: Text) -> None:
    """Fail the check with every violation's file and line; `rule` says the spec's rule in a sentence."""
    from grader.judge.compare import fail

    found = violations(sources, policy)
    if found:
        fail(_("{rule}: {violations}", rule=rule, violations=describe(found)),
             {"violations": [{"file": v.file, "line": v.line, "name": str(v.name), "reason": str(v.reason)} for v in found[:20]]})
