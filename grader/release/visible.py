"""A suite's checks.py with its hidden checks taken out, and whatever only they used.

The result is regenerated from the syntax tree (ast.unparse): no comment, no hidden check's name,
docstring, input or helper survives. A check whose visibility is not a plain `visible=True` counts as hidden.
"""

from __future__ import annotations

import ast


def _is_check(node: ast.stmt) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("check_")


def _visible(node: ast.stmt) -> bool:
    for decorator in getattr(node, "decorator_list", []):
        if isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                if keyword.arg == "visible":
                    return isinstance(keyword.value, ast.Constant) and keyword.value.value is True
    return False


def _defines(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def _uses(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | \
           {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}


def split(source: str) -> tuple[str, list[ast.stmt]]:
    """(the visible checks module as source, the hidden check nodes that were removed)."""
    tree = ast.parse(source)
    hidden = [n for n in tree.body if _is_check(n) and not _visible(n)]
    body = [n for n in tree.body if n not in hidden]
    while True:  # drop top-level definitions nothing left uses, until none goes
        unused = []
        for node in body:
            names = _defines(node)
            if not names or _is_check(node) or any(name.startswith("__") for name in names):
                continue
            used = set().union(*(_uses(other) for other in body if other is not node))
            if not names & used:
                unused.append(node)
        if not unused:
            break
        body = [n for n in body if n not in unused]
    return ast.unparse(ast.Module(body=body, type_ignores=[])) + "\n", hidden


def hidden_summary(hidden: list[ast.stmt]) -> dict[str, int]:
    """How many hidden checks there are and their points: all a release says about them."""
    points = 0
    for node in hidden:
        for decorator in getattr(node, "decorator_list", []):
            if isinstance(decorator, ast.Call):
                for keyword in decorator.keywords:
                    if keyword.arg == "points" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, int):
                        points += keyword.value.value
    return {"checks": len(hidden), "points": points}
