"""Landlock through raw syscalls: restrict the calling thread's filesystem, TCP and signals.

Landlock needs no privileges, so it works for students on laptops as well as for root on servers.
"""

from __future__ import annotations

import ctypes
import os
import struct
import sys

_SYS_CREATE, _SYS_ADD_RULE, _SYS_RESTRICT = 444, 445, 446  # x86-64 and arm64 share these numbers
_PR_SET_NO_NEW_PRIVS = 38
_RULE_PATH_BENEATH, _CREATE_RULESET_VERSION = 1, 1

# Access rights by the ABI version that introduced them.
_FS_V1 = (1 << 13) - 1          # execute .. make_sym
_FS_REFER, _FS_TRUNCATE, _FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_FILE_RIGHTS_V1 = 0b111          # execute, write_file, read_file
READ = (1 << 0) | (1 << 2) | (1 << 3)  # execute, read_file, read_dir
_NET_ALL = 0b11                  # bind_tcp, connect_tcp (ABI 4)
_SCOPE_ALL = 0b11                # abstract unix sockets, signals (ABI 6)

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


def abi_version() -> int:
    """Landlock ABI of the running kernel, 0 when it is unavailable."""
    if not sys.platform.startswith("linux"):
        return 0  # syscall numbers mean something else elsewhere
    r = _libc.syscall(_SYS_CREATE, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(int(r), 0)


def _fs_handled(abi: int) -> int:
    bits = _FS_V1
    if abi >= 2:
        bits |= _FS_REFER
    if abi >= 3:
        bits |= _FS_TRUNCATE
    if abi >= 5:
        bits |= _FS_IOCTL_DEV
    return bits


# The steps Landlock enforces, by the ABI that brings them.
STEPS = (("landlock_fs", "filesystem: read-only Python and libraries, read-write only the submission's folder (Landlock)"),
         ("landlock_net", "TCP bind/connect denied (Landlock)"),
         ("landlock_scope", "signals and abstract Unix sockets outside the sandbox denied (Landlock)"))


def restrict(read: list[str], write: list[str], abi: int | None = None) -> list[tuple[str, str]]:
    """Allow reading `read`, full access to `write`, no TCP, no signals outside; returns what was enforced."""
    abi = abi_version() if abi is None else abi
    if abi < 1:
        raise OSError("Landlock is not available on this kernel")
    fs = _fs_handled(abi)
    attr = struct.pack("<QQQ", fs, _NET_ALL if abi >= 4 else 0, _SCOPE_ALL if abi >= 6 else 0)
    size = 8 if abi < 4 else (16 if abi < 6 else 24)
    buf = ctypes.create_string_buffer(attr[:size], size)
    ruleset = _libc.syscall(_SYS_CREATE, buf, ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    file_rights = _FILE_RIGHTS_V1 | (_FS_TRUNCATE if abi >= 3 else 0) | (_FS_IOCTL_DEV if abi >= 5 else 0)
    try:
        for paths, rights in ((read, READ), (write, fs)):
            for path in paths:
                _add_path(int(ruleset), path, rights, file_rights)
        if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(NO_NEW_PRIVS) failed")
        if _libc.syscall(_SYS_RESTRICT, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(int(ruleset))
    enforced = [(STEPS[0][0], f"{STEPS[0][1][:-1]} ABI {abi})")]
    if abi >= 4:
        enforced.append(STEPS[1])
    if abi >= 6:
        enforced.append(STEPS[2])
    return enforced


def _add_path(ruleset: int, path: str, rights: int, file_rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a path that does not exist needs no rule
    try:
        if not os.path.isdir(path):
            rights &= file_rights
        rule = ctypes.create_string_buffer(struct.pack("<Qi", rights, fd), 12)
        if _libc.syscall(_SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH), rule, ctypes.c_uint32(0)) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
    finally:
        os.close(fd)
