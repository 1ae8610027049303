"""Mutants of a reference solution: small `ast`-located source edits, one realistic mistake each.

Why an `ast` generator of our own and not mutmut or cosmic-ray: both are built around "patch a
file on disk, run the project's test command, read its exit status". mutmut 3 goes further and
compiles every mutant of a function into one trampolined module that picks a mutant from an
environment variable and imports `mutmut` at run time; the grader's sandbox scrubs the
environment and cannot import it, and the "tests" here are not a pytest command but one warm
`Grader.grade()` call (torch imported once, ~0.1-0.5 s per mutant; a fresh `grade` process costs
2-3 s, so a subprocess per mutant would be ~10x slower). Neither tool has the operators that
matter for PyTorch (`dim`, `detach`/`clone`, in-place variants, dtype casts). So: each operator
is a small function over the AST of the reference that yields *edits* (a byte range of the
original source and its replacement text); applying one edit to the text keeps every other
byte, comment and formatting, so each mutant differs from the reference in one place and shows
as a one-line diff.

Mutant ids are `operator:sha1(stripped original line, comment removed)[:8]:k`, k numbering that
operator's mutants of lines with that code, so an id survives unrelated edits of the file (lines added or
moved elsewhere) and names the same mistake in `equivalent_mutants.toml`.
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """Replace the source from (line, col) to (end_line, end_col) (1-based lines, byte columns) by `text`."""

    line: int
    col: int
    end_line: int
    end_col: int
    text: str
    description: str


@dataclass(frozen=True)
class Mutant:
    id: str
    operator: str
    line: int
    col: int
    description: str
    source: str          # the whole mutated file
    original_line: str   # the first original line the edit touches, stripped
    mutated_line: str    # the same line after the edit, stripped (first line of it)


# ------------------------------------------------------------------------------------------------
# Helpers shared by the operators

def _span(node: ast.AST, text: str, description: str) -> Edit:
    return Edit(node.lineno, node.col_offset, node.end_lineno or node.lineno,  # type: ignore[attr-defined]
                node.end_col_offset or 0, text, description)  # type: ignore[attr-defined]


def _segment(lines: list[bytes], node: ast.AST) -> str:
    l0, c0 = node.lineno, node.col_offset  # type: ignore[attr-defined]
    l1, c1 = node.end_lineno, node.end_col_offset  # type: ignore[attr-defined]
    if l0 == l1:
        return lines[l0 - 1][c0:c1].decode()
    parts = [lines[l0 - 1][c0:]] + lines[l0:l1 - 1] + [lines[l1 - 1][:c1]]
    return b"".join(parts).decode()


def _between(a: ast.AST, b: ast.AST) -> tuple[int, int, int, int]:
    """The byte range between the end of node a and the start of node b (where an operator token sits)."""
    return a.end_lineno, a.end_col_offset, b.lineno, b.col_offset  # type: ignore[attr-defined,return-value]


def _gap_edit(lines: list[bytes], a: ast.AST, b: ast.AST, old: str, new: str, description: str) -> Edit | None:
    """Replace the operator token `old` between nodes a and b by `new` (parentheses and spaces kept)."""
    l0, c0, l1, c1 = _between(a, b)
    if l0 != l1:
        return None
    gap = lines[l0 - 1][c0:c1].decode()
    pattern = r"\b" + re.escape(old) + r"\b" if old[0].isalpha() else re.escape(old)
    if re.sub(r"[()\s]", "", gap) != old.replace(" ", ""):
        return None
    return Edit(l0, c0, l1, c1, re.sub(pattern, new, gap, count=1), description)


ATOMS = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant, ast.List, ast.Tuple, ast.Dict)


def _paren(text: str, node: ast.AST) -> str:
    return text if isinstance(node, ATOMS) else f"({text})"


def _is_number(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool))


def _number(node: ast.AST) -> int | float:
    if isinstance(node, ast.UnaryOp):
        return -node.operand.value  # type: ignore[attr-defined,no-any-return]
    return node.value  # type: ignore[attr-defined,no-any-return]


MODULES = ("torch", "F", "nn", "math")


def _is_module(node: ast.AST) -> bool:
    """`torch`, `F`, `math.pi`: a module or a module's attribute, never a tensor."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in MODULES


def _call_name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


class Sites:
    """The nodes operators may mutate: code in function bodies and defaults, not docstrings,
    annotations, decorators, f-strings or the messages of `raise` (validation text)."""

    def __init__(self, tree: ast.Module):
        self.nodes: list[ast.AST] = []
        self.stmts: list[ast.stmt] = []        # statements directly in function bodies (and nested blocks)
        self.parent: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node
        self._visit_module(tree)

    def _visit_module(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
                    self._expr(default)
                body = node.body
                if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                    body = body[1:]  # docstring
                self._block(body)
            elif isinstance(node, ast.ClassDef):
                for stmt in node.body:  # class-level assignments such as `_get_closed_form_lr = get_lr`
                    if isinstance(stmt, ast.Assign):
                        self.stmts.append(stmt)

    def _block(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue  # visited by _visit_module
            self.stmts.append(stmt)
            if isinstance(stmt, ast.Raise):
                continue  # the message is not code; removing the raise is a statement mutant
            for field, value in ast.iter_fields(stmt):
                if field == "annotation":
                    continue
                if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                    self._block(value)  # body, orelse, finalbody
                elif isinstance(value, list):
                    for v in value:
                        if isinstance(v, ast.AST):
                            self._expr(v)
                elif isinstance(value, ast.AST):
                    self._expr(value)

    def _expr(self, node: ast.AST) -> None:
        if isinstance(node, ast.JoinedStr):
            return
        if isinstance(node, ast.excepthandler):
            self._block(node.body)  # type: ignore[attr-defined]
            return
        self.nodes.append(node)
        for child in ast.iter_child_nodes(node):
            self._expr(child)

    def of(self, *types: type) -> Iterator:  # type: ignore[type-arg]
        return (n for n in self.nodes if isinstance(n, types))


Operator = Callable[[Sites, list[bytes]], Iterator[Edit]]
OPERATORS: dict[str, Operator] = {}


def operator(name: str) -> Callable[[Operator], Operator]:
    def register(fn: Operator) -> Operator:
        OPERATORS[name] = fn
        return fn
    return register


# ------------------------------------------------------------------------------------------------
# The operators

_ARITH = {ast.Add: ("+", ["-"]), ast.Sub: ("-", ["+"]), ast.Mult: ("*", ["/", "**"]), ast.Div: ("/", ["*", "//"]),
          ast.FloorDiv: ("//", ["/"]), ast.Mod: ("%", ["//"]), ast.Pow: ("**", ["*"]), ast.MatMult: ("@", ["*"])}


@operator("arith")
def arith(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """+ <-> -, * <-> /, ** -> *, also in augmented assignments (`w -= ...` -> `w += ...`)."""
    for node in sites.of(ast.BinOp):
        old, news = _ARITH.get(type(node.op), ("", []))
        for new in news:
            edit = _gap_edit(lines, node.left, node.right, old, new, f"'{old}' -> '{new}'")
            if edit:
                yield edit
    for stmt in sites.stmts:
        if isinstance(stmt, ast.AugAssign) and type(stmt.op) in _ARITH:
            old, news = _ARITH[type(stmt.op)]
            for new in news:
                edit = _gap_edit(lines, stmt.target, stmt.value, old + "=", new + "=", f"'{old}=' -> '{new}='")
                if edit:
                    yield edit


_COMPARE = {ast.Lt: ("<", "<="), ast.LtE: ("<=", "<"), ast.Gt: (">", ">="), ast.GtE: (">=", ">"),
            ast.Eq: ("==", "!="), ast.NotEq: ("!=", "=="), ast.Is: ("is", "is not"), ast.IsNot: ("is not", "is"),
            ast.In: ("in", "not in"), ast.NotIn: ("not in", "in")}


@operator("compare")
def compare(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """< <-> <=, > <-> >=, == <-> !=, is <-> is not, in <-> not in."""
    for node in sites.of(ast.Compare):
        left = node.left
        for op, right in zip(node.ops, node.comparators):
            old, new = _COMPARE[type(op)]
            edit = _gap_edit(lines, left, right, old, new, f"'{old}' -> '{new}'")
            if edit:
                yield edit
            left = right


@operator("boolop")
def boolop(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """and <-> or."""
    for node in sites.of(ast.BoolOp):
        old, new = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
        for a, b in zip(node.values, node.values[1:]):
            edit = _gap_edit(lines, a, b, old, new, f"'{old}' -> '{new}'")
            if edit:
                yield edit


@operator("negation")
def negation(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """`not x` -> `x`, `~x` -> `x`."""
    for node in sites.of(ast.UnaryOp):
        if isinstance(node.op, (ast.Not, ast.Invert)):
            word = "not" if isinstance(node.op, ast.Not) else "~"
            yield _span(node, _paren(_segment(lines, node.operand), node.operand), f"'{word}' removed")


@operator("constant")
def constant(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """Numbers n -> n + 1 and n - 1 (so 0 <-> 1, -1 <-> 0); True <-> False."""
    for node in sites.nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            yield _span(node, repr(not node.value), f"{node.value} -> {not node.value}")
        elif _is_number(node) and not (isinstance(node, ast.Constant) and isinstance(sites.parent.get(node), ast.UnaryOp)):
            value = _number(node)
            for new in (value + 1, value - 1):
                yield _span(node, repr(new), f"{value!r} -> {new!r}")


# Functions and methods whose dimension argument is a plain int, and its positional index
# for the method form (`x.sum(1)`); the function form (`torch.sum(x, 1)`) has it one later.
_DIM_METHODS = {name: 0 for name in (
    "sum", "mean", "amax", "amin", "max", "min", "argmax", "argmin", "any", "all", "prod", "std", "var",
    "softmax", "log_softmax", "cumsum", "cumprod", "unsqueeze", "squeeze", "logsumexp", "norm", "flip",
    "size", "unbind", "count_nonzero", "median", "nansum", "select", "narrow", "flatten")}
_DIM_FUNCTIONS = {"cat": 1, "stack": 1, "concat": 1, "gather": 1}


def _other_dims(value: int) -> list[int]:
    return [d for d in (0, 1, -1) if d != value]


@operator("dim")
def dim(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """The dimension of a reduction or reshape changed: `dim=1` -> 0 / -1, `x.amax(1)` -> `x.amax(0)`."""
    for call in sites.of(ast.Call):
        targets = [kw.value for kw in call.keywords if kw.arg in ("dim", "axis")]
        name = _call_name(call)
        is_method = isinstance(call.func, ast.Attribute) and not (
            isinstance(call.func.value, ast.Name) and call.func.value.id in ("torch", "F"))
        if name in _DIM_FUNCTIONS and not is_method:
            index = _DIM_FUNCTIONS[name]
        elif name in _DIM_METHODS:
            index = _DIM_METHODS[name] + (0 if is_method else 1)
        else:
            index = -1
        if 0 <= index < len(call.args):
            targets.append(call.args[index])
        for target in targets:
            if _is_number(target) and isinstance(_number(target), int):
                value = _number(target)
                for new in _other_dims(int(value)):
                    yield _span(target, repr(new), f"dim {value} -> {new} in {name}()")


_KWARG_VALUES = {"reduction": ("mean", "sum", "none")}


@operator("kwarg")
def kwarg(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """A keyword argument dropped (`device=`, `keepdim=`, `dim=` ...) or a string option swapped
    (`reduction='mean'` -> 'sum'); boolean values flip in `constant`."""
    for call in sites.of(ast.Call):
        for i, kw in enumerate(call.keywords):
            if kw.arg is None:
                continue
            if isinstance(kw.value, ast.Constant) and kw.arg in _KWARG_VALUES:
                for other in _KWARG_VALUES[kw.arg]:
                    if other != kw.value.value:
                        yield _span(kw.value, repr(other), f"{kw.arg}={kw.value.value!r} -> {other!r}")
            # Drop `, kw=value` (or `kw=value, ` when it comes first) by rewriting the whole call.
            rest = [k for j, k in enumerate(call.keywords) if j != i]
            new = ast.Call(func=call.func, args=call.args, keywords=rest)
            yield _span(call, _rebuild_call(lines, new), f"keyword {kw.arg}= dropped")


def _rebuild_call(lines: list[bytes], call: ast.Call) -> str:
    """Source of a call from the original text of its parts (keeps their spelling)."""
    parts = [_segment(lines, a) for a in call.args]
    parts += [f"{k.arg}={_segment(lines, k.value)}" if k.arg else f"**{_segment(lines, k.value)}" for k in call.keywords]
    return f"{_segment(lines, call.func)}({', '.join(parts)})"


@operator("swap_args")
def swap_args(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """Two adjacent positional arguments of a call swapped."""
    for call in sites.of(ast.Call):
        args = call.args
        for i in range(len(args) - 1):
            a, b = args[i], args[i + 1]
            if isinstance(a, ast.Starred) or isinstance(b, ast.Starred):
                continue
            sa, sb = _segment(lines, a), _segment(lines, b)
            if sa == sb:
                continue
            swapped = list(args)
            swapped[i], swapped[i + 1] = b, a
            new = ast.Call(func=call.func, args=swapped, keywords=call.keywords)
            yield _span(call, _rebuild_call(lines, new), f"arguments {sa} and {sb} of {_call_name(call)}() swapped")


_RECEIVER_METHODS_WITH_ARGS = {"to", "requires_grad_", "type", "type_as", "view_as", "reshape_as", "expand_as"}


@operator("drop_call")
def drop_call(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """A call removed: `x.detach()` / `.clone()` / `.contiguous()` / `.to(...)` -> `x`; `f(x)` -> `x`."""
    for call in sites.of(ast.Call):
        f = call.func
        if isinstance(f, ast.Attribute) and (not call.args and not call.keywords or f.attr in _RECEIVER_METHODS_WITH_ARGS):
            if _is_module(f.value):
                continue
            if isinstance(f.value, ast.Call) and isinstance(f.value.func, ast.Name) and f.value.func.id == "super":
                continue
            yield _span(call, _segment(lines, f.value), f".{f.attr}() removed")
        elif len(call.args) == 1 and not call.keywords and not isinstance(call.args[0], ast.Starred):
            arg = call.args[0]
            yield _span(call, _paren(_segment(lines, arg), arg), f"{_call_name(call)}(...) removed, its argument kept")


@operator("context")
def context(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """A `with` block's context manager dropped (`with torch.no_grad():` -> `if True:`)."""
    for stmt in sites.stmts:
        if not isinstance(stmt, ast.With):
            continue
        header_end = stmt.items[-1].context_expr.end_lineno or stmt.lineno
        if header_end != stmt.lineno or stmt.body[0].lineno == stmt.lineno:
            continue
        line = lines[stmt.lineno - 1]
        colon = line.rfind(b":", stmt.items[-1].context_expr.end_col_offset or 0)
        if colon < 0:
            continue
        managers = ", ".join(_segment(lines, i.context_expr) for i in stmt.items)
        yield Edit(stmt.lineno, stmt.col_offset, stmt.lineno, colon + 1, "if True:", f"`with {managers}` dropped")


@operator("statement")
def statement(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """A statement of a function body replaced by `pass` (a `raise`, a return, an update, a block)."""
    for stmt in sites.stmts:
        if isinstance(stmt, ast.Pass):
            continue
        first = _segment(lines, stmt).splitlines()[0].strip()
        yield _span(stmt, "pass", f"statement removed: {first[:60]}")


_DTYPES = {"float32": "float64", "float": "double", "float64": "float32", "double": "float", "float16": "float32",
           "half": "float", "bfloat16": "float32", "int64": "int32", "long": "int", "int32": "int64"}


@operator("dtype")
def dtype(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """`torch.float32` <-> `torch.float64` (and friends), and a cast added to what a function returns."""
    for node in sites.of(ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id == "torch" and node.attr in _DTYPES:
            yield _span(node, f"torch.{_DTYPES[node.attr]}", f"torch.{node.attr} -> torch.{_DTYPES[node.attr]}")
    for value in _returned(sites):
        for cast in (".float()", ".double()"):
            yield _span(value, _paren(_segment(lines, value), value) + cast, f"{cast} added to a returned value")


def _returned(sites: Sites) -> Iterator[ast.expr]:
    """Returned expressions that may be tensors (the elements of a returned tuple, one by one)."""
    for stmt in sites.stmts:
        if isinstance(stmt, ast.Return) and stmt.value is not None:
            values = stmt.value.elts if isinstance(stmt.value, ast.Tuple) else [stmt.value]
            for v in values:
                if not isinstance(v, (ast.Constant, ast.List, ast.ListComp, ast.Dict, ast.Tuple, ast.Compare, ast.BoolOp)):
                    yield v


@operator("detach")
def detach(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """`return x` -> `return x.detach()`: the result cut from the autograd graph."""
    for value in _returned(sites):
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "detach":
            continue
        yield _span(value, _paren(_segment(lines, value), value) + ".detach()", ".detach() added to a returned value")


_INPLACE_METHODS = {"add", "sub", "mul", "div", "relu", "sigmoid", "tanh", "exp", "neg", "clamp", "abs", "pow",
                    "sqrt", "masked_fill", "fill", "zero", "copy", "t", "transpose", "unsqueeze", "squeeze",
                    "requires_grad", "lerp", "addcmul", "addcdiv", "sin", "cos", "log"}
_INPLACE_FUNCTIONS = {"relu", "sigmoid", "tanh", "exp", "neg", "abs", "sqrt", "sin", "cos", "log"}
_BINOP_METHOD = {ast.Add: "add_", ast.Sub: "sub_", ast.Mult: "mul_", ast.Div: "div_"}


@operator("inplace")
def inplace(sites: Sites, lines: list[bytes]) -> Iterator[Edit]:
    """Out-of-place -> in-place: `x.add(y)` -> `x.add_(y)`, `torch.relu(x)` -> `x.relu_()`,
    `x * y` -> `x.mul_(y)`, `F.relu(x)` -> `F.relu(x, inplace=True)`."""
    for call in sites.of(ast.Call):
        f = call.func
        module = isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in ("torch", "F")
        if isinstance(f, ast.Attribute) and not _is_module(f.value) and f.attr in _INPLACE_METHODS:
            yield Edit(f.end_lineno or 0, f.end_col_offset or 0, f.end_lineno or 0, f.end_col_offset or 0, "_",
                       f".{f.attr}() -> .{f.attr}_()")
        elif module and f.attr in _INPLACE_FUNCTIONS and len(call.args) == 1 and not call.keywords:  # type: ignore[union-attr]
            arg = call.args[0]
            if isinstance(f.value, ast.Name) and f.value.id == "F" and f.attr == "relu":  # type: ignore[union-attr]
                yield _span(call, f"F.relu({_segment(lines, arg)}, inplace=True)", "F.relu(x) -> F.relu(x, inplace=True)")
            else:
                yield _span(call, f"{_paren(_segment(lines, arg), arg)}.{f.attr}_()",  # type: ignore[union-attr]
                            f"torch.{f.attr}(x) -> x.{f.attr}_()")  # type: ignore[union-attr]
    for node in sites.of(ast.BinOp):
        method = _BINOP_METHOD.get(type(node.op))
        if method and isinstance(node.left, (ast.Name, ast.Attribute, ast.Subscript)) and not _is_module(node.left):
            yield _span(node, f"{_segment(lines, node.left)}.{method}({_segment(lines, node.right)})",
                        f"out-of-place binary op -> .{method}()")


# ------------------------------------------------------------------------------------------------

def _apply(lines: list[bytes], edit: Edit) -> list[bytes]:
    prefix = lines[edit.line - 1][:edit.col]
    suffix = lines[edit.end_line - 1][edit.end_col:]
    return lines[:edit.line - 1] + [prefix + edit.text.encode() + suffix] + lines[edit.end_line:]


# More specific operators first: a mutant two operators produce is listed under the first.
ORDER = ["arith", "compare", "boolop", "negation", "dim", "kwarg", "constant", "swap_args", "drop_call", "context",
         "statement", "dtype", "detach", "inplace"]


def line_id(text: str) -> str:
    return hashlib.sha1(text.strip().encode()).hexdigest()[:8]


def _code_lines(source: str) -> dict[int, str]:
    """Line number -> the line without its trailing comment (so editing a comment keeps the ids)."""
    out = dict(enumerate(source.splitlines(), 1))
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            row, col = tok.start
            out[row] = out[row][:col]
    return out


def generate(source: str, operators: list[str] | None = None) -> list[Mutant]:
    """Every mutant of `source` (deduplicated by mutated text; ones that do not compile are dropped)."""
    tree = ast.parse(source)
    lines = source.encode().splitlines(keepends=True)
    sites = Sites(tree)
    original = ast.dump(tree)
    seen: set[str] = {source}
    code_lines = _code_lines(source)
    counters: dict[tuple[str, str], int] = {}
    out: list[Mutant] = []
    for name in operators or ORDER:
        edits = sorted(OPERATORS[name](sites, lines), key=lambda e: (e.line, e.col, e.end_line, e.end_col, e.text))
        for edit in edits:
            new_lines = _apply(lines, edit)
            mutated = b"".join(new_lines).decode()
            if mutated in seen:
                continue
            try:
                new_tree = ast.parse(mutated)
                compile(new_tree, "<mutant>", "exec")
            except (SyntaxError, ValueError):
                continue
            if ast.dump(new_tree) == original:
                continue
            seen.add(mutated)
            orig_line = lines[edit.line - 1].decode().strip()
            key = (name, line_id(code_lines[edit.line]))
            k = counters.get(key, 0)
            counters[key] = k + 1
            out.append(Mutant(f"{name}:{key[1]}:{k}", name, edit.line, edit.col, edit.description, mutated, orig_line,
                              new_lines[edit.line - 1].decode().splitlines()[0].strip()))
    return out
