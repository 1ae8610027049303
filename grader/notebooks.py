"""Jupyter/Colab notebooks as gradable Python: the code cells, in order, with IPython-only lines dropped.

Runs in the judge, on bytes discovery already bounded. The extracted file keeps a line map, so a
failure at line 7 of the extracted `swish.py` is reported at `swish.ipynb, cell [3], line 2`.
Cells are numbered from 1 over all the cells of the notebook, Markdown ones included: the Nth cell
from the top, as the student scrolls to it.

Dropped (each replaced by `pass` at its indentation, so blocks stay valid and line numbers stay put):
line magics (`%matplotlib inline`), shell lines (`!pip install ...`), their assignment forms
(`files = !ls`), help lines (`torch.sigmoid?`), and whole cells of cell magics (`%%bash`,
`%%writefile`, ...) except `%%time`, `%%timeit` and `%%capture`, whose body is Python and is kept.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from grader.i18n import _

NOTEBOOK_SUFFIX = ".ipynb"
_PYTHON_CELL_MAGICS = {"time", "timeit", "capture"}
_MAGIC_LINE = re.compile(r"^\s*(?:[%!]|[\w.]+\s*=\s*[%!][^=]|[\w.]+\?{1,2}\s*$)")
_INDENT = re.compile(r"^\s*")


class NotebookError(ValueError):
    """A notebook that cannot be read: `args[0]` is the message for the report."""


@dataclass(frozen=True)
class Extracted:
    """The notebook's Python, and for each of its lines (1-based) the (cell, line in cell) it came from; 0: none."""

    code: str
    lines: tuple[tuple[int, int], ...]

    def place(self, line: int) -> tuple[int, int] | None:
        """(cell, line in cell) for a line of the extracted code, or None where it is no cell's line."""
        if 1 <= line <= len(self.lines) and self.lines[line - 1][1] > 0:
            return self.lines[line - 1]
        return None


def _python_lines(source: str) -> list[str]:
    lines = source.splitlines()
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        magic = first[2:].split(maxsplit=1)[0] if first[2:].strip() else ""
        if magic not in _PYTHON_CELL_MAGICS:
            return ["pass  # notebook cell magic dropped"] + ["" for _ in lines[1:]]
        lines = ["pass  # notebook cell magic dropped", *lines[1:]]
    return [f"{_INDENT.match(line).group(0)}pass  # notebook magic or shell line dropped"  # type: ignore[union-attr]
            if _MAGIC_LINE.match(line) else line for line in lines]


def extract(data: bytes, name: str) -> Extracted:
    """The code cells of a notebook as one Python file; NotebookError when it is not a readable notebook."""
    import nbformat

    try:
        json.loads(data)  # nbformat's own message for a non-JSON file quotes the whole file
        with _quiet():
            nb = nbformat.reads(data.decode("utf-8"), as_version=4)  # nbformat 3 is converted
        nbformat.validate(nb)
        cells = [(str(c.get("cell_type", "")), c.get("source", "")) for c in nb.cells]
    except Exception as exc:  # nbformat raises many kinds on hostile input; all mean the same to the student
        raise NotebookError(_("{name} is not a readable Jupyter notebook ({error}); save it again from Jupyter or Colab",
                              name=name, error=_reason(exc))) from None
    code: list[str] = []
    where: list[tuple[int, int]] = []
    for number, (kind, source) in enumerate(cells, start=1):
        if kind != "code":
            continue
        text = "".join(source) if isinstance(source, list) else str(source)
        code.append(f"# cell [{number}]")
        where.append((number, 0))
        for i, line in enumerate(_python_lines(text), start=1):
            code.append(line)
            where.append((number, i))
    return Extracted("\n".join(code) + "\n", tuple(where))


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return (text[:120] + "…") if len(text) > 120 else text or type(exc).__name__


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """nbformat logs an invalid notebook before validate() raises it; the report says it once."""
    logger = logging.getLogger("traitlets")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)
