"""Kill what a submission left running after a call: trusted code, run by the judge.

The worker runs student code and may be patched, so the judge does the killing: every process
in the worker's PID namespace except the worker itself gets SIGKILL. Works as root and as a
normal user (the judge owns the sandbox's user namespace, so it may read its processes'
namespace links and signal them).
"""

from __future__ import annotations

import os
import signal
import time


def _ns(pid: int | str) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return None


def _live(pid: str) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def _has_children(pid: int) -> bool:
    """Whether `pid` has any child. As PID 1 of its namespace, the worker is the ancestor of every
    process in it (orphans are re-parented to it), so no children means nothing else is there."""
    try:
        tids = os.listdir(f"/proc/{pid}/task")
        for tid in tids:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                if f.read().strip():
                    return True
        return False
    except OSError:
        return True  # cannot tell (no CONFIG_PROC_CHILDREN): scan


def kill_strays(worker_pid: int, wait_s: float = 5.0) -> int:
    """SIGKILL every live process in `worker_pid`'s PID namespace but the worker; returns how many.

    Does nothing when the worker shares the judge's PID namespace (the machine refused one): the
    judge then relies on killing the worker's process group. Repeats until a pass finds nothing
    (a killed process shows until it has run to its exit), so processes forked meanwhile are caught too.
    """
    ns = _ns(worker_pid)
    if ns is None or ns == _ns("self") or not _has_children(worker_pid):
        return 0
    deadline, pids = time.monotonic() + wait_s, set[str]()
    while time.monotonic() < deadline:
        found = 0
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) != worker_pid and _ns(entry) == ns and _live(entry):
                try:
                    os.kill(int(entry), signal.SIGKILL)
                    found += 1
                    pids.add(entry)
                except OSError:
                    pass
        if not found:
            break
        time.sleep(0.002)
    return len(pids)
