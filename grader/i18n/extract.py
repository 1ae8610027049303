"""Which messages a domain's sources use: `_("…")` calls (through Babel) and `@check(name="…")` names.

Also finds what Babel would silently skip: `_()` with an f-string or a variable, which can never be
translated. Shared by the catalogue update command and the test that keeps catalogues complete.
"""

from __future__ import annotations

import ast
from pathlib import Path

from grader.i18n.catalogues import Domain


def _check_names(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "check":
            for kw in node.keywords:
                if kw.arg == "name" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    found.append((node.lineno, kw.value.value))
    return found


def untranslatable(path: Path) -> list[str]:
    """`_()` calls whose template is not one string literal, as 'file:line' entries."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)) or len(node.args) != 1:
                bad.append(f"{path}:{node.lineno}")
    return bad


def messages(domain: Domain) -> dict[str, list[tuple[str, int]]]:
    """msgid -> where it is used (file relative to the domain's folder, line)."""
    from babel.messages.extract import extract_from_file

    out: dict[str, list[tuple[str, int]]] = {}
    for path in domain.sources:
        rel = path.relative_to(domain.folder).as_posix()
        text = path.read_text(encoding="utf-8")
        if "_(" in text:
            for lineno, msgid, _comments, _context in extract_from_file("python", str(path), keywords={"_": None}):
                if isinstance(msgid, str) and msgid:
                    out.setdefault(msgid, []).append((rel, lineno))
        if "check(" in text:
            for lineno, msgid in _check_names(ast.parse(text, str(path))):
                out.setdefault(msgid, []).append((rel, lineno))
    return out
