"""From what the user typed to submissions: which exercise, which files, under which label.

Accepts an exercise folder (or a unique prefix of one), a single file, a folder of exercise
folders, a class folder of student folders, and .zip / .tar(.gz) archives of any of these.

A problem inside one submission (a link, too many files, a missing entry file, a broken archive)
never stops a class: it becomes a Handin with `problem` set, which the grader reports as that
submission's result. Only what the user typed being wrong, or nothing gradable at all, is a UsageError.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from grader import catalog, lms, notebooks
from grader.catalog import Exercise
from grader.errors import UsageError
from grader.i18n import Text, _

MAX_FILES = 200                 # files read from one submission
MAX_BYTES = 20 * 2**20          # bytes read from one submission
MAX_ENTRIES = 10 * MAX_FILES    # entries looked at in one submission, ignored ones included
MAX_MEMBERS = 2000              # members of one archive
MAX_ARCHIVE_BYTES = 5 * MAX_BYTES
MAX_DEPTH = 8                   # folders deep, in an archive
_SKIP_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints", ".venv", "node_modules"}
_SUFFIXES = (".py", ".ipynb", ".txt", ".json", ".csv", ".md")
_CODE = (".py", notebooks.NOTEBOOK_SUFFIX)  # what can be an exercise's entry file
_ARCHIVES = (".zip", ".tar", ".tar.gz", ".tgz")


@dataclass
class Handin:
    """The files found for one exercise of one student (the judge's `Submission` is the handle checks call)."""

    exercise: Exercise | None  # None only for a problem whose exercise cannot be told
    label: str                 # shown in reports: the path as typed, or student/exercise in a class
    files: dict[str, bytes] = field(default_factory=dict)  # relative path -> content; has the entry file
    problem: Text = ""         # why it cannot be graded; then it is reported as an error, 0 points
    shown_as: dict[str, str] = field(default_factory=dict)  # file -> the name the student gave it (-e 02 my_swish.py)
    cells: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)  # file from a notebook -> its line map
    student: str = ""          # set where the layout names the student (an LMS download); else the gradebook tells
    lms_id: str = ""           # the LMS's id of that student, when it gives one
    late: bool = False         # the LMS marked the submission late (Canvas)

    @property
    def source(self) -> dict[str, str]:
        return {k: v.decode(errors="replace") for k, v in self.files.items() if k.endswith(".py")}




class _Refused(Exception):
    """A problem of one submission: becomes Handin.problem."""


def exercise_of_name(name: str) -> Exercise | None:
    m = re.match(r"(?:ex)?(\d{1,2})(?:[_\-\s]|$)", name)
    return catalog.by_number(m.group(1).zfill(2)) if m else None


def exercise_of_entry(name: str) -> Exercise | None:
    """`train_linear.py` can only be exercise 05."""
    return next((ex for ex in catalog.EXERCISES if ex.entry == name), None)


def exercise_of_file(name: str) -> Exercise | None:
    """`swish.py`, `swish.ipynb`, `02_swish.py`, `02-anything.ipynb` -> exercise 02; None for other names."""
    if not name.endswith(_CODE):
        return None
    stem = name.rsplit(".", 1)[0]
    return exercise_of_entry(stem + ".py") or exercise_of_name(stem)


def _entry_names(ex: Exercise) -> tuple[str, str]:
    """The exercise's file, and the notebook that may stand for it: (swish.py, swish.ipynb)."""
    return ex.entry, ex.entry.removesuffix(".py") + notebooks.NOTEBOOK_SUFFIX


def with_entry(ex: Exercise, label: str, files: dict[str, bytes], chosen: str, **extra: object) -> Handin:
    """A Handin graded from `files[chosen]` as the exercise's entry file: a notebook's code cells, or the .py itself."""
    files = dict(files)
    data = files.pop(chosen)
    shown = chosen.rsplit("/", 1)[-1]
    shown_as = {} if shown == ex.entry else {ex.entry: shown}
    cells: dict[str, tuple[tuple[int, int], ...]] = {}
    if chosen.endswith(notebooks.NOTEBOOK_SUFFIX):
        try:
            extracted = notebooks.extract(data, shown)
        except notebooks.NotebookError as exc:
            return Handin(ex, label, problem=exc.args[0], **extra)  # type: ignore[arg-type]
        data, cells = extracted.code.encode(), {ex.entry: extracted.lines}
    files[ex.entry] = data
    return Handin(ex, label, files, shown_as=shown_as, cells=cells, **extra)  # type: ignore[arg-type]


def _complete(path: Path) -> Path:
    """`exercises/05` -> `exercises/05_linear_loop` when exactly one entry starts that way."""
    if path.exists() or path.is_symlink() or not path.parent.is_dir():
        return path
    matches = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        names = ", ".join(sorted(p.name for p in matches))
        raise UsageError(f"{path} is ambiguous: it could be {names}")
    return path


def _read_folder(folder: Path, label: str) -> dict[str, bytes]:
    """The submission's files; _Refused for a link, a special file, too many files or too much data."""
    files: dict[str, bytes] = {}
    total = seen = 0
    pending = [Path()]
    while pending:
        rel_dir = pending.pop()
        try:
            entries = sorted(os.scandir(folder / rel_dir), key=lambda e: e.name)
        except OSError as exc:
            raise _Refused(_("cannot read {label}/{rel_dir} ({value})", label=label, rel_dir=rel_dir, value=exc.strerror or exc)) from None
        for entry in entries:
            seen += 1
            rel = rel_dir / entry.name
            if seen > MAX_ENTRIES:
                raise _Refused(_("{label} holds more than {MAX_ENTRIES} entries; submit the exercise files only", label=label, MAX_ENTRIES=MAX_ENTRIES))
            if entry.name in _SKIP_DIRS or entry.name.startswith("."):
                continue
            if entry.is_symlink():
                raise _Refused(_("{label}/{rel} is a symbolic link; links are not followed, submit the file itself", label=label, rel=rel))
            if entry.is_dir(follow_symlinks=False):
                pending.append(rel)
                continue
            if not entry.is_file(follow_symlinks=False):
                raise _Refused(_("{label}/{rel} is not a regular file", label=label, rel=rel))
            if not entry.name.endswith(_SUFFIXES):
                continue
            size = entry.stat(follow_symlinks=False).st_size
            total += size
            if len(files) >= MAX_FILES or total > MAX_BYTES:
                raise _Refused(_("{label} holds too many files or too much data (limits: {MAX_FILES} files, {value} MB); submit the exercise files only", label=label, MAX_FILES=MAX_FILES, value=MAX_BYTES // 2**20))
            try:
                with open(folder / rel, "rb", opener=lambda p, f: os.open(p, f | os.O_NOFOLLOW)) as fh:
                    files[str(rel)] = fh.read(MAX_BYTES + 1)
            except OSError as exc:
                raise _Refused(_("cannot read {label}/{rel} ({value})", label=label, rel=rel, value=exc.strerror or exc)) from None
    return files


def _from_folder(folder: Path, exercise: Exercise, label: str) -> Handin:
    try:
        files = _read_folder(folder, label.rstrip("/"))
    except _Refused as exc:
        return Handin(exercise, label, problem=exc.args[0])
    notebook = _entry_names(exercise)[1]
    if exercise.entry not in files and notebook in files:
        return with_entry(exercise, label, files, notebook)
    if exercise.entry not in files:
        found = ", ".join(sorted(k for k in files if k.endswith(".py"))[:5]) or "no .py file"
        return Handin(exercise, label, problem=_("{label} has no {entry} (found: {found}): exercise {id} is graded from that file", label=label, entry=exercise.entry, found=found, id=exercise.id))
    return Handin(exercise, label, files)


def _extract(archive: Path, target: Path) -> None:
    """Unpack into `target`, after checking the member list: no links, nothing escaping, no bombs."""
    try:
        if archive.name.endswith(".zip"):
            with zipfile.ZipFile(archive) as z:
                infos = z.infolist()
                if len(infos) > MAX_MEMBERS:
                    raise _Refused(_("{archive} holds more than {MAX_MEMBERS} members; submit the exercise files only", archive=archive, MAX_MEMBERS=MAX_MEMBERS))
                for info in infos:
                    if stat.S_ISLNK(info.external_attr >> 16):
                        raise _Refused(_("archive member {filename} is a symbolic link; links are not extracted", filename=repr(info.filename)))
                _check_members(target, [(info.filename, info.file_size) for info in infos])
                z.extractall(target)
        else:
            with tarfile.open(archive) as t:
                members: list[tarfile.TarInfo] = []
                total = 0
                for m in t:  # one header at a time: a tar of 300k files is refused after MAX_MEMBERS
                    if len(members) >= MAX_MEMBERS:
                        raise _Refused(_("{archive} holds more than {MAX_MEMBERS} members; submit the exercise files only", archive=archive, MAX_MEMBERS=MAX_MEMBERS))
                    if not (m.isfile() or m.isdir()):
                        raise _Refused(_("archive member {name} is a link or a special file; it is not extracted", name=repr(m.name)))
                    members.append(m)
                    total += m.size
                    _check_members(target, [(m.name, m.size)], total)
                safety = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # Python >= 3.11.4
                t.extractall(target, members=members, **safety)  # type: ignore[arg-type]
    except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise _Refused(_("{archive} is not a readable archive ({exc}); re-create it with zip or tar", archive=archive, exc=exc)) from None


def _check_members(root: Path, members: list[tuple[str, int]], total: int | None = None) -> None:
    if (sum(size for _name, size in members) if total is None else total) > MAX_ARCHIVE_BYTES:
        raise _Refused(_("the archive unpacks to more than {value} MB; submit the exercise files only", value=MAX_ARCHIVE_BYTES // 2**20))
    for name, _size in members:
        if len(Path(name).parts) > MAX_DEPTH:
            raise _Refused(_("archive member {name} is nested more than {MAX_DEPTH} folders deep", name=repr(name), MAX_DEPTH=MAX_DEPTH))
        # the target is a fresh empty folder and links are refused, so the name alone says where it lands
        landing, base = os.path.normpath(os.path.join(root, name)), os.path.normpath(root)
        if landing != base and not landing.startswith(base + os.sep):
            raise _Refused(_("archive member {name} points outside the archive; refusing to extract it", name=repr(name)))


def _forced(exercise_id: str | None) -> Exercise | None:
    if not exercise_id:
        return None
    forced = catalog.by_number(exercise_id)
    if forced is None:
        known = ", ".join(e.id for e in catalog.EXERCISES)
        raise UsageError(f"unknown exercise {exercise_id!r}; known exercises: {known}")
    return forced


def find(path_text: str, exercise_id: str | None = None) -> list[Handin]:
    """Everything at one path, problems included; UsageError only when the path itself is wrong."""
    forced = _forced(exercise_id)
    path = _complete(Path(path_text))
    if not path.exists() and not path.is_symlink():
        raise UsageError(f"{path_text}: no such file or folder")
    if path.is_file() and path.name.endswith(_ARCHIVES):
        target = Path(tempfile.mkdtemp(prefix="grade-archive-"))
        try:  # files are read into memory, so the folder goes at once, on error or Ctrl-C too
            _extract(path, target)
            found = _scan(target, forced, path_text, depth=0)
        except _Refused as exc:
            return [Handin(forced, path_text, problem=exc.args[0])]
        finally:
            shutil.rmtree(target, ignore_errors=True)
        return found or [Handin(forced, path_text, problem=_("{path_text}: no exercise folders or files found inside the archive", path_text=path_text))]
    if path.is_file():
        real = path.resolve()
        ex = forced or exercise_of_name(real.parent.name) or exercise_of_name(real.name) or exercise_of_file(real.name)
        if ex is None:
            raise UsageError(f"{path_text}: cannot tell which exercise this file is for; add --exercise NN")
        if path.suffix not in _CODE:
            raise UsageError(f"{path_text}: expected a .py or .ipynb file, a folder or a .zip/.tar archive")
        if path.stat().st_size > MAX_BYTES:
            return [Handin(ex, path_text, problem=_("{path_text} is larger than {value} MB", path_text=path_text, value=MAX_BYTES // 2**20))]
        return [with_entry(ex, path_text, {path.name: path.read_bytes()}, path.name)]
    return _scan(path.resolve(), forced, path_text, depth=0)


def resolve(path_text: str, exercise_id: str | None = None) -> list[Handin]:
    """All submissions at one path; UsageError when none of them can be graded (one clear line)."""
    return resolve_all([path_text], exercise_id)


def resolve_all(paths: list[str], exercise_id: str | None = None) -> list[Handin]:
    """All submissions at the paths typed, problems included; UsageError when nothing at all can be graded."""
    found = [s for p in paths for s in find(p, exercise_id)]
    if not any(not s.problem for s in found):
        if len(found) == 1:
            raise UsageError(str(found[0].problem))
        if found:
            raise UsageError(f"nothing to grade: {len(found)} submissions, none readable (first: {found[0].problem})")
        raise UsageError(f"{' '.join(paths)}: found no exercise to grade (folders must start with an exercise number, "
                         f"like 05_linear_loop, or use --exercise NN)")
    return found


def _child(label: str, name: str) -> str:
    return f"{label.rstrip('/')}/{name}"


def _scan(folder: Path, forced: Exercise | None, label: str, depth: int) -> list[Handin]:
    if depth == 0 and (from_lms := _scan_lms(folder, forced, label)) is not None:
        return from_lms
    ex = exercise_of_name(folder.name)
    if forced is not None and (ex is None or ex == forced) and any((folder / n).is_file() for n in _entry_names(forced)):
        return [_from_folder(folder, forced, label)]
    if ex is not None and forced is None:
        return [_from_folder(folder, ex, label)]
    try:
        children = sorted(folder.iterdir())
    except OSError as exc:
        return [Handin(forced, label, problem=_("cannot read {label} ({value})", label=label, value=exc.strerror or exc))]
    entries = {exercise_of_entry(p.name.removesuffix(notebooks.NOTEBOOK_SUFFIX) + ".py" if p.suffix == notebooks.NOTEBOOK_SUFFIX else p.name)
               for p in children if p.suffix in _CODE and not p.is_symlink()} - {None}
    if depth == 0 and not forced and len(entries) == 1:  # a folder of any name holding one exercise's file
        only: Exercise = entries.pop()  # type: ignore[assignment]
        return [_from_folder(folder, only, label)]
    if depth >= 3:
        return []
    found: list[Handin] = []
    for child in children:
        if child.name.startswith((".", "_")):
            continue
        child_ex = exercise_of_name(child.name)
        if forced and child_ex not in (None, forced):
            continue
        if child.is_symlink():
            if child.is_dir() or child_ex or exercise_of_entry(child.name):
                found.append(Handin(forced or child_ex or exercise_of_entry(child.name), _child(label, child.name),
                                        problem=_("{label} is a symbolic link; links are not followed, submit the folder or file itself", label=_child(label, child.name))))
            continue
        if child.is_dir():
            found += _scan(child, forced, _child(label, child.name), depth + 1)
        elif (depth > 0 or len(entries) > 1) and (entry_ex := exercise_of_entry(child.name)) and forced in (None, entry_ex):
            found.append(Handin(entry_ex, _child(label, child.name),
                                    problem=_("{label} is not in an exercise folder: put it in {folder}/{id}/{name}", label=_child(label, child.name), folder=label.rstrip('/'), id=entry_ex.id, name=child.name)))
    if depth == 1 and not found and not forced and any(not c.name.startswith((".", "_")) for c in children):
        found.append(Handin(None, label, problem=_("{label} holds no exercise folder (expected folders named like 05_linear_loop/, each with the exercise's file)", label=label)))
    return found


def _top(folder: Path) -> list[tuple[str, bool]]:
    try:
        return sorted((p.name, p.is_dir() and not p.is_symlink()) for p in folder.iterdir())
    except OSError:
        return []


def _scan_lms(folder: Path, forced: Exercise | None, label: str) -> list[Handin] | None:
    """An LMS download (see grader.lms): a Handin per student and exercise; None when `folder` is not one."""
    top = _top(folder)
    layout = lms.detect(top)
    real = [(name, is_dir) for name, is_dir in top if not lms.is_junk(name)]
    if layout is None and len(real) == 1 and real[0][1]:  # Drive wraps the files in the assignment's folder
        inner = _top(folder / real[0][0])
        if (layout := lms.detect(inner)) is not None:
            folder, label, top = folder / real[0][0], _child(label, real[0][0]), inner
    if layout is None:
        return None
    by_student: dict[str, list[lms.Entry]] = {}
    for entry in lms.entries(layout, top):
        by_student.setdefault(entry.lms_id or entry.student.casefold(), []).append(entry)
    found: list[Handin] = []
    for group in by_student.values():
        first = group[0]
        who = {"student": first.student, "lms_id": first.lms_id, "late": any(e.late for e in group)}
        base = _child(label, first.student)
        try:
            files = _read_entries(folder, group, base)
        except _Refused as exc:
            found.append(Handin(forced, base, problem=exc.args[0], **who))  # type: ignore[arg-type]
            continue
        found += _student_handins(files, forced, base, who)
    return found


def _read_entries(folder: Path, group: list[lms.Entry], label: str) -> dict[str, bytes]:
    """One student's files of an LMS download, under the names they uploaded; the newer of two Canvas copies wins."""
    files: dict[str, bytes] = {}
    again: dict[str, int] = {}
    for entry in group:
        path = folder / entry.top
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            raise _Refused(_("{label}/{rel} is a symbolic link; links are not followed, submit the file itself", label=label, rel=entry.top))
        if path.is_dir():
            for rel, data in _read_folder(path, label).items():
                files.setdefault(rel, data)
            for inner in sorted(p for p in path.iterdir() if p.name.endswith(_ARCHIVES) and p.is_file() and not p.is_symlink()):
                files.update(_archive_files(inner, inner.name, label))
        elif entry.original.endswith(_ARCHIVES):
            files.update(_archive_files(path, entry.original, label))
        elif entry.original.endswith(_SUFFIXES) and not entry.original.startswith("."):
            if entry.original in files and again[entry.original] >= entry.again:
                continue
            if path.stat().st_size > MAX_BYTES:
                raise _Refused(_("{path_text} is larger than {value} MB", path_text=f"{label}/{entry.original}", value=MAX_BYTES // 2**20))
            with open(path, "rb", opener=lambda p, f: os.open(p, f | os.O_NOFOLLOW)) as fh:
                files[entry.original], again[entry.original] = fh.read(MAX_BYTES + 1), entry.again
        if len(files) > MAX_FILES or sum(map(len, files.values())) > MAX_BYTES:
            raise _Refused(_("{label} holds too many files or too much data (limits: {MAX_FILES} files, {value} MB); submit the exercise files only", label=label, MAX_FILES=MAX_FILES, value=MAX_BYTES // 2**20))
    return files


def _archive_files(archive: Path, name: str, label: str) -> dict[str, bytes]:
    """A zip or tar a student uploaded to the LMS, read under `name/` (one level: archives in it are not opened)."""
    target = Path(tempfile.mkdtemp(prefix="grade-archive-"))
    try:
        _extract(archive, target)
        return {f"{name}/{rel}": data for rel, data in _read_folder(target, f"{label}/{name}").items()}
    finally:
        shutil.rmtree(target, ignore_errors=True)


def _student_handins(files: dict[str, bytes], forced: Exercise | None, label: str, who: dict[str, object]) -> list[Handin]:
    """One student's files, loose or in folders, to a Handin per exercise their names tell (or the one of -e)."""
    code = sorted(rel for rel in files if rel.endswith(_CODE))
    plan: dict[Exercise, list[str]] = {}
    for rel in code:
        ex = exercise_of_file(rel.rsplit("/", 1)[-1])
        if ex is not None and forced in (None, ex):
            plan.setdefault(ex, []).append(rel)
    if forced is not None and not plan and len(code) == 1:
        plan = {forced: code}
    if not plan:
        names = ", ".join(code[:5]) or "no .py or .ipynb file"
        return [Handin(forced, label, problem=_("{label} has no file named for an exercise (found: {found}); name it like swish.py or 02_swish.ipynb, or grade with --exercise NN", label=label, found=names), **who)]  # type: ignore[arg-type]
    found = []
    for ex, chosen in sorted(plan.items(), key=lambda item: item[0].id):
        if len(chosen) > 1:
            found.append(Handin(ex, label, problem=_("{label} has several files for exercise {id} ({found}); submit one", label=label, id=ex.id, found=", ".join(chosen[:5])), **who))  # type: ignore[arg-type]
            continue
        folder = chosen[0].rsplit("/", 1)[0] + "/" if "/" in chosen[0] else ""
        mine = {rel[len(folder):]: data for rel, data in files.items() if rel.startswith(folder)}
        found.append(with_entry(ex, _child(label, chosen[0]), mine, chosen[0][len(folder):], **who))
    return found
