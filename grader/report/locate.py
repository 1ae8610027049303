"""Where a submission's files are, as paths from the repository root: what annotations point at.

The only report module that looks at the disk; archives and anything outside the current folder get none.
"""

from __future__ import annotations

import os
from pathlib import Path

from grader import discovery
from grader.errors import UsageError


def _from_root(path: Path, root: Path) -> str | None:
    rel = os.path.relpath(path.absolute(), root.absolute())
    return None if rel.startswith("..") else Path(rel).as_posix()


def source_files(submission: discovery.Handin, root: Path | None = None) -> dict[str, str]:
    """The submission's file names (as frames name them) -> paths from `root` (default: the current folder)."""
    root = root or Path.cwd()
    if submission.exercise is None or submission.problem:
        return {}
    try:
        path = discovery._complete(Path(submission.label))
        if path.is_symlink():
            return {}
        if path.is_file() and path.suffix == ".py":
            where = _from_root(path, root)
            return {submission.exercise.entry: where} if where else {}
        if path.is_dir():
            found = {name: _from_root(path / name, root) for name in submission.files}
            return {name: where for name, where in found.items() if where}
    except (OSError, UsageError):
        pass
    return {}
