"""The blind and do-nothing submissions, stored as patches on the reference solution.

Each `.diff` turns `solutions/NN_name/<entry>` into the submission as its author wrote it (first
line `# blind-wrong:`, `# blind-right:` or `# do-nothing:` and what it does), so the folder holds
only what each one changes, not forty copies of the reference. Applied with GNU patch.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from grader import catalog

HERE = Path(__file__).parent


def files(kind: str, pattern: str = "*") -> list[Path]:
    """The patches of `kind` ("blind" or "do_nothing") in exercise folders matching `pattern`."""
    return sorted((HERE / kind).glob(f"{pattern}/*.diff"))


def source(path: Path) -> bytes:
    """The submission a patch describes: the reference with the patch applied."""
    exercise = catalog.by_number(path.parent.name)
    assert exercise is not None, path
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / exercise.entry
        subprocess.run(["patch", "--silent", "--force", "-o", str(out), "-i", str(path), str(exercise.reference_file)],
                       check=True, capture_output=True)
        return out.read_bytes()


def header(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n", 1)[0]
