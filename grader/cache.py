"""Results kept per submission, so an unchanged class is not graded twice and a stopped run loses nothing.

A result is stored under a key made of the submission's content (every file's bytes, its exercise)
and a fingerprint of everything else that decides a grade: the grader's own code (checks, probes,
judge, sandbox, baked values), the reference solution, grader, torch and Python versions, seed,
device, limits and -k. Each result is one file written atomically (temp file, fsync, os.replace),
so a run killed at any moment leaves only whole results. Results that are the grader's failure or
were not graded are never stored.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from grader import __version__, catalog
from grader.discovery import Handin
from grader.i18n import from_data, to_data
from grader.results import NOT_GRADED, CheckResult, ExerciseResult

_PACKAGE = Path(__file__).resolve().parent
SCHEMA = "grader-cache/2"  # 2: messages stored as data (msgid and arguments), rendered per language


@functools.lru_cache(maxsize=1)
def _code_hash() -> str:
    """Every file of the grader package that can change a grade (code, baked values, data)."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".md"):
            h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def fingerprint(exercise: catalog.Exercise, options: dict[str, Any]) -> str:
    """What, besides the submission, decides its grade for this exercise under these options."""
    import torch

    ref = exercise.reference_file
    limits = options.get("limits")
    parts = {
        "schema": SCHEMA, "grader": __version__, "code": _code_hash(), "torch": torch.__version__,
        "python": platform.python_version(), "exercise": exercise.id,
        "reference": hashlib.sha256(ref.read_bytes()).hexdigest() if ref.is_file() else "",
        "seed": options.get("seed", 0), "device": str(options.get("device", "auto")),
        "limits": asdict(limits) if limits is not None else None, "select": options.get("select"),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def key(submission: Handin, fingerprint_: str) -> str:
    """The cache key of one submission: its label does not count (a renamed folder is the same work)."""
    h = hashlib.sha256(fingerprint_.encode())
    for name in sorted(submission.files):
        h.update(b"\0" + name.encode() + b"\0" + hashlib.sha256(submission.files[name]).digest())
    if submission.cells:  # a notebook's frames are reported at its cells, under its name
        h.update(b"\0notebook\0" + json.dumps([sorted(submission.shown_as.items()), sorted(submission.cells.items())]).encode())
    return h.hexdigest()


def _from_dict(data: dict[str, Any], label: str) -> ExerciseResult:
    checks = [CheckResult(**dict(c, message=from_data(c["message"]))) for c in data["checks"]]
    return ExerciseResult(data["id"], data["title"], label, checks, data.get("facts", {}))


class ResultCache:
    """One JSON file per key under `folder`; unreadable or foreign files count as misses."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, k: str) -> Path:
        return self.folder / k[:2] / f"{k}.json"

    def get(self, k: str, label: str) -> ExerciseResult | None:
        try:
            data = json.loads(self._path(k).read_text(encoding="utf-8"))
            if data.get("schema") != SCHEMA:
                return None
            return _from_dict(data["result"], label)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, k: str, result: ExerciseResult) -> None:
        if result.grader_error or any(c.message in NOT_GRADED for c in result.checks if c.outcome == "error"):
            return
        path = self._path(k)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"schema": SCHEMA, "result": {"id": result.id, "title": result.title, "facts": result.facts,
                                             "checks": [dict(asdict(c), message=to_data(c.message))
                                                        for c in result.checks]}}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, default=str)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
