"""From what the user typed to submissions: which exercise, which files, under which label.

Accepts an exercise folder (or a unique prefix of one), a single file, a folder of exercise
folders, a class folder of student folders, and .zip / .tar(.gz) archives of any of these.
"""

from __future__ import annotations

import re
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from grader import catalog
from grader.catalog import Exercise
from grader.errors import UsageError

MAX_FILES = 200
MAX_BYTES = 20 * 2**20
_SKIP_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints", ".venv", "node_modules"}
_ARCHIVES = (".zip", ".tar", ".tar.gz", ".tgz")


@dataclass
class Submission:
    exercise: Exercise
    label: str                 # shown in reports: the path as typed, or student/exercise in a class
    files: dict[str, bytes]    # relative path -> content; the entry file is always present

    @property
    def source(self) -> dict[str, str]:
        return {k: v.decode(errors="replace") for k, v in self.files.items() if k.endswith(".py")}


def exercise_of_name(name: str) -> Exercise | None:
    m = re.match(r"(?:ex)?(\d{1,2})(?:[_\-\s]|$)", name)
    return catalog.by_number(m.group(1).zfill(2)) if m else None


def exercise_of_entry(name: str) -> Exercise | None:
    """`train_linear.py` can only be exercise 05."""
    return next((ex for ex in catalog.EXERCISES if ex.entry == name), None)


def _complete(path: Path) -> Path:
    """`exercises/05` -> `exercises/05_linear_loop` when exactly one entry starts that way."""
    if path.exists() or not path.parent.is_dir():
        return path
    matches = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        names = ", ".join(sorted(p.name for p in matches))
        raise UsageError(f"{path} is ambiguous: it could be {names}")
    return path


def _read_folder(folder: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = 0
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if any(part in _SKIP_DIRS or part.startswith(".") for part in rel.parts) or p.is_symlink() or not p.is_file():
            continue
        if p.suffix not in (".py", ".txt", ".json", ".csv", ".md"):
            continue
        total += p.stat().st_size
        if len(files) >= MAX_FILES or total > MAX_BYTES:
            raise UsageError(f"{folder} holds too many files or too much data (limits: {MAX_FILES} files, {MAX_BYTES // 2**20} MB)")
        files[str(rel)] = p.read_bytes()
    return files


def _from_folder(folder: Path, exercise: Exercise, label: str) -> Submission:
    files = _read_folder(folder)
    if exercise.entry not in files:
        raise UsageError(f"{folder} has no {exercise.entry}: exercise {exercise.id} is graded from that file")
    return Submission(exercise, label, files)


def _extract(archive: Path) -> Path:
    """Unpack into a fresh temporary folder, refusing members that escape it and archives that balloon."""
    target = Path(tempfile.mkdtemp(prefix="grade-archive-"))
    try:
        if archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as z:
                members = z.infolist()
                _check_members(target, [(m.filename, m.file_size) for m in members])
                z.extractall(target)
        else:
            with tarfile.open(archive) as t:
                members = [m for m in t.getmembers() if m.isfile() or m.isdir()]  # no links, devices or fifos
                _check_members(target, [(m.name, m.size) for m in members])
                safety = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # Python >= 3.11.4
                t.extractall(target, members=members, **safety)
    except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError) as exc:
        raise UsageError(f"{archive} is not a readable archive ({exc}); re-create it with zip or tar") from None
    return target


def _check_members(root: Path, members: list[tuple[str, int]]) -> None:
    if sum(size for _, size in members) > 5 * MAX_BYTES:
        raise UsageError(f"the archive unpacks to more than {5 * MAX_BYTES // 2**20} MB; submit the exercise files only")
    for name, _ in members:
        _safe_member(root, name)


def _safe_member(root: Path, name: str) -> None:
    if not (root / name).resolve().is_relative_to(root.resolve()):
        raise UsageError(f"archive member {name!r} points outside the archive; refusing to extract it")


def resolve(path_text: str, exercise_id: str | None = None) -> list[Submission]:
    """All submissions found at one path the user typed."""
    forced = None
    if exercise_id:
        forced = catalog.by_number(exercise_id)
        if forced is None:
            known = ", ".join(e.id for e in catalog.EXERCISES)
            raise UsageError(f"unknown exercise {exercise_id!r}; known exercises: {known}")
    path = _complete(Path(path_text))
    if not path.exists():
        raise UsageError(f"{path_text}: no such file or folder")
    if path.is_file() and path.name.endswith(_ARCHIVES):
        found = _scan(_extract(path), forced, path_text, depth=0)
        if not found:
            raise UsageError(f"{path_text}: no exercise folders or files found inside the archive")
        return found
    if path.is_file():
        real = path.resolve()
        ex = forced or exercise_of_name(real.parent.name) or exercise_of_name(real.name) or exercise_of_entry(real.name)
        if ex is None:
            raise UsageError(f"{path_text}: cannot tell which exercise this file is for; add --exercise NN")
        if path.suffix != ".py":
            raise UsageError(f"{path_text}: expected a .py file, a folder or a .zip/.tar archive")
        return [Submission(ex, path_text, {ex.entry: path.read_bytes()})]
    found = _scan(path.resolve(), forced, path_text, depth=0)
    if not found:
        raise UsageError(f"{path_text}: found no exercise to grade (folders must start with an exercise number, "
                         f"like 05_linear_loop, or use --exercise NN)")
    return found


def _scan(folder: Path, forced: Exercise | None, label: str, depth: int) -> list[Submission]:
    ex = exercise_of_name(folder.name)
    if forced and (ex is None or ex == forced) and (folder / forced.entry).is_file():
        return [_from_folder(folder, forced, label)]
    if ex is not None and not forced:
        return [_from_folder(folder, ex, label)]
    entries = {exercise_of_entry(p.name) for p in folder.glob("*.py")} - {None}
    if depth == 0 and not forced and len(entries) == 1:  # a folder of any name holding one exercise's file
        return [_from_folder(folder, entries.pop(), label)]
    if depth >= 3:
        return []
    found: list[Submission] = []
    for child in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        if forced and exercise_of_name(child.name) not in (None, forced):
            continue
        found += _scan(child, forced, f"{label.rstrip('/')}/{child.name}", depth + 1)
    return found
