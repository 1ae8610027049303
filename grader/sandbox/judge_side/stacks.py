"""Where a hanging submission was: the worker's faulthandler dump, read as hostile input.

The worker arms `faulthandler.dump_traceback_later` just before each deadline; after a timeout
the judge reads what was appended to the dump file since the call began. Student code shares the
worker's process and can write anything there, so the judge reads a bounded number of bytes,
keeps only well-formed frame lines in the student's own files, and takes the code line from its
own copy of the student's file, never from the dump.
"""

from __future__ import annotations

import os
import re
from typing import Any

import grader.sandbox.protocol as protocol
from grader.i18n import Text, _

MAX_DUMP_BYTES = 256 * 1024  # far more than one dump of a few threads 100 frames deep
_FRAME = re.compile(r'  File "([^"\n]{1,4096})", line (\d{1,9}) in ([A-Za-z_<>][\w.<>-]{0,299})')
_THREAD = re.compile(r"(Current thread|Thread) 0x[0-9a-f]+")


def read_dump(path: str, offset: int) -> tuple[str, int]:
    """The bytes appended to `path` since `offset` (at most MAX_DUMP_BYTES), as text, and the new end."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read(MAX_DUMP_BYTES)
            end = f.seek(0, os.SEEK_END)
    except OSError:
        return "", offset
    return data.decode("utf-8", errors="replace"), end


def student_frames(dump: str, workdir: str, files: dict[str, bytes]) -> list[dict[str, Any]]:
    """The frames of the hanging thread that lie in the student's files, outermost first.

    faulthandler prints the most recent call first, for the thread that hangs ("Current thread")
    and for the others; the last complete dump wins (an earlier one belongs to a call that ended).
    Only files the judge itself gave the sandbox (`files`, relative to `workdir`) are kept.
    """
    dumps = dump.split("Timeout (")
    for text in reversed(dumps):
        frames = _frames_of(text, workdir, files)
        if frames:
            return frames
    return []


def _frames_of(text: str, workdir: str, files: dict[str, bytes]) -> list[dict[str, Any]]:
    threads: list[list[dict[str, Any]]] = []
    current: int | None = None
    for line in text.splitlines()[:10_000]:
        if _THREAD.match(line):
            if line.startswith("Current thread"):
                current = len(threads)
            threads.append([])
            continue
        m = _FRAME.fullmatch(line)
        if not m or not threads:
            continue
        path, lineno, function = m.group(1), int(m.group(2)), m.group(3)
        if not path.startswith(workdir + os.sep):
            continue
        rel = os.path.relpath(path, workdir)
        if rel not in files or len(threads[-1]) >= protocol.MAX_FRAMES:
            continue
        threads[-1].append({"file": protocol.cut(rel, protocol.MAX_FRAME_FIELD), "line": lineno,
                            "function": protocol.cut(function, protocol.MAX_FRAME_FIELD),
                            "code": protocol.cut(_line(files[rel], lineno), protocol.MAX_FRAME_FIELD)})
    order = ([threads[current]] if current is not None else []) + threads
    for frames in order:
        if frames:
            return list(reversed(frames))  # outermost first, like a Python traceback
    return []


def _line(source: bytes, lineno: int) -> str:
    lines = source.decode("utf-8", errors="replace").splitlines()
    return lines[lineno - 1].strip() if 1 <= lineno <= len(lines) else ""


def where(frames: list[dict[str, Any]], shown_as: dict[str, str] | None = None) -> Text:
    """'; it was running line 12 of my_swish.py (in backward)' for the innermost frame, or ''."""
    if not frames:
        return ""
    f = frames[-1]
    name = (shown_as or {}).get(f["file"], f["file"])
    if f.get("cell"):
        name = f"{name}, cell [{f['cell']}]"
    if f["function"] == "<module>":
        return _("; it was running line {line} of {file}", line=str(f["line"]), file=name)
    return _("; it was running line {line} of {file} (in {function})", line=str(f["line"]), file=name,
             function=f["function"])
