"""The "no Python loop" rule of exercise 01, decided in the judge from the submission's source.

The sandbox also counts torch operations at run time, but code can hide its work from a counter
inside its own process (torch._C.DisableTorchFunction, a popped mode); the text it handed in
cannot hide a `for`. The spec forbids every loop construct in `last_token`, `validate_inputs` and
the functions they reach, so this reads the syntax only and needs no guess about what a loop runs
over. Module-level code (an `if __name__ == "__main__":` demo) runs once and is not looked at.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from grader.i18n import Text, _
from grader.judge.policy import Violation, aliases, dotted

ROOTS = ("last_token", "validate_inputs")

_LOOP_NODES: dict[type, Text] = {
    ast.For: _("a for loop"), ast.AsyncFor: _("an async for loop"), ast.While: _("a while loop"),
    ast.ListComp: _("a list comprehension"), ast.SetComp: _("a set comprehension"),
    ast.DictComp: _("a dict comprehension"), ast.GeneratorExp: _("a generator expression"),
}
_LOOP_CALLS: dict[str, Text] = {"map": "map()", "filter": "filter()", "functools.reduce": "functools.reduce()"}
_LOOP_MODULES = {"itertools": "itertools"}
_LOOP_METHODS: dict[str, Text] = {"apply_": _(".apply_() (a Python call per element)"), "map_": _(".map_() (a Python call per element)"),
                 "map2_": _(".map2_() (a Python call per element)")}


def _definitions(tree: ast.Module) -> dict[str, ast.AST]:
    """Top-level names a call can reach: functions, classes and names assigned at module level."""
    defs: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defs[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Name):
                    defs[t.id] = node.value
    return defs


def _references(node: ast.AST, defs: Mapping[str, ast.AST]) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in defs}


def _reachable(defs: Mapping[str, ast.AST], roots: list[str]) -> tuple[set[str], set[str]]:
    """Names reachable from `roots`, and those among them that can reach themselves (recursion)."""
    edges = {name: _references(node, defs) for name, node in defs.items()}
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack += edges[name]
    recursive = set()
    for name in seen:
        todo, visited = list(edges[name]), set()
        while todo:
            n = todo.pop()
            if n == name:
                recursive.add(name)
                break
            if n not in visited:
                visited.add(n)
                todo += edges[n]
    return seen, recursive


def _calls_itself(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A nested function or a method that names itself (`go(b + 1)`, `self.pick(...)`) in its body."""
    def names_fn(n: ast.AST) -> bool:
        if isinstance(n, ast.Name):
            return n.id == fn.name
        return isinstance(n, ast.Attribute) and n.attr == fn.name and isinstance(n.value, ast.Name) \
            and n.value.id in ("self", "cls")

    return any(names_fn(n) for stmt in fn.body for n in ast.walk(stmt))


def _loops_in(node: ast.AST, imported: Mapping[str, str]) -> list[tuple[int, Text]]:
    found: list[tuple[int, Text]] = []
    for n in ast.walk(node):
        kind = _LOOP_NODES.get(type(n))
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n is not node and _calls_itself(n):
            found.append((n.lineno, _("recursion")))
        if kind:
            found.append((getattr(n, "lineno", 0), kind))
        elif isinstance(n, ast.Call):
            name = dotted(n.func, imported)
            if name in _LOOP_CALLS:
                found.append((n.lineno, _LOOP_CALLS[name]))
            elif name and name.split(".")[0] in _LOOP_MODULES:
                found.append((n.lineno, name))
            elif isinstance(n.func, ast.Attribute) and n.func.attr in _LOOP_METHODS:
                found.append((n.lineno, _LOOP_METHODS[n.func.attr]))
    return found


def loop_violations(sources: Mapping[str, str], roots: tuple[str, ...] = ROOTS) -> list[Violation]:
    """Every loop construct in code that `roots` can reach, in file and line order.

    In the file that defines a root, only what the roots reach counts; in other files of the
    submission (helper modules) every definition may be called, so all of them count.
    """
    found: list[Violation] = []
    for file, text in sorted(sources.items()):
        if not file.endswith(".py"):
            continue
        try:
            tree = ast.parse(text, filename=file)
        except (SyntaxError, ValueError):
            continue  # the import of the module reports it, with its line
        defs = _definitions(tree)
        start = [r for r in roots if r in defs] or list(defs)
        reach, recursive = _reachable(defs, start)
        imported = aliases(tree)
        for name in sorted(reach):
            found += [Violation(file, line, kind, _("in {function}", function=name)) for line, kind in _loops_in(defs[name], imported)]
            if name in recursive:
                found.append(Violation(file, getattr(defs[name], "lineno", 0), _("recursion"),
                                       _("{function} calls itself, directly or through other functions", function=name)))
    unique = {(v.file, v.line, v.name): v for v in found}
    return sorted(unique.values(), key=lambda v: (v.file, v.line, str(v.name)))
