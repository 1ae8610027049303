"""The corpus of submissions: whole files (*.py) and mistakes written as patches on a base (*.diff).

A patch shows exactly the mistake it makes, and keeps the corpus from repeating one solution in a
dozen files. Both kinds start with `# expect-fail: <check ids>`: exactly the checks they must fail.
A patch's second line names its base, a whole file of the same folder whose first line is skipped.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from grader import catalog
from grader.catalog import Exercise

CORPUS = Path(__file__).parent / "corpus"


@dataclass(frozen=True)
class Entry:
    path: Path
    exercise: Exercise
    expected: frozenset[str]

    @property
    def name(self) -> str:
        return f"{self.path.parent.name}/{self.path.stem}"

    def source(self) -> str:
        """The submission's text; for a patch, its base with the patch applied (GNU patch)."""
        if self.path.suffix == ".py":
            return self.path.read_text(encoding="utf-8")
        base = CORPUS / self.path.parent.name / _header(self.path, 1, "# base:")
        with tempfile.TemporaryDirectory() as tmp:
            body, out = Path(tmp) / "base.py", Path(tmp) / "out.py"
            body.write_text(base.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
            subprocess.run(["patch", "--silent", "--force", "-o", str(out), "-i", str(self.path), str(body)],
                           check=True, capture_output=True)
            return out.read_text(encoding="utf-8")

    def write(self, folder: Path) -> Path:
        """The submission as a file named like the student's entry file, in a folder of its exercise."""
        target = folder / self.exercise.id / self.exercise.entry
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.source(), encoding="utf-8")
        return target


def _header(path: Path, index: int, key: str) -> str:
    line = path.read_text(encoding="utf-8").splitlines()[index]
    assert line.startswith(key), f"{path}: line {index + 1} must start with '{key}'"
    return line.removeprefix(key).strip()


def entries() -> list[Entry]:
    found = []
    for path in sorted(CORPUS.glob("*/*")):
        if path.suffix in (".py", ".diff"):
            exercise = catalog.by_number(path.parent.name[:2])
            assert exercise is not None, path
            found.append(Entry(path, exercise, frozenset(_header(path, 0, "# expect-fail:").split())))
    return found
