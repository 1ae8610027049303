"""The sandbox protocol: every message between the judge and a sandbox, as tagged plain data.

Both sides import this module; the judge decodes each message with the matching validating
decoder and takes no decision on display text. (Being filled in: see the Step record below,
which both sides already use for the facts of a run.)
"""

from __future__ import annotations

from dataclasses import dataclass

# Ids of confinement steps. A report shows `text`; code decides on `id` and `enforced` only.
STEP_IDS = (
    "user_ns",        # a user namespace (normal user) or the machine's root
    "pid_ns",         # PID namespace: the worker is PID 1, everything it starts dies with it
    "net_ns",         # empty network namespace
    "ipc_ns",         # private SysV IPC and POSIX message queues
    "uts_ns",         # private host name
    "mount_ns",       # private mount namespace
    "fs_root",        # a fresh root built from an allow-list (pivot_root)
    "proc",           # /proc of its own PID namespace
    "disk",           # the submission's folder on a small tmpfs of its own
    "tmp",            # a private /tmp
    "landlock_fs",    # Landlock file-system rules
    "landlock_net",   # Landlock TCP bind/connect denied
    "landlock_scope", # Landlock: abstract Unix sockets and signals outside denied
    "seccomp",        # seccomp filter: no new sockets, no dangerous system calls
    "uid",            # an unprivileged uid
    "memory",         # address-space limit
    "rlimits",        # CPU, file size, open files, core dumps
    "nproc",          # process/thread limit
    "env",            # scrubbed environment
    "parent_death",   # dies with its parent
    "devices",        # device nodes granted (CUDA)
)


@dataclass(frozen=True)
class Step:
    """One confinement step: whether it was enforced on this run, and what to tell a person."""

    id: str
    enforced: bool
    text: str
