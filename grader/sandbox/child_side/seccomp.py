"""A seccomp filter, written as classic BPF: no new sockets, no dangerous system calls.

A second layer that does not depend on the file view: whatever a path or an abstract name
leads to, the sandbox cannot create a socket to reach it. Refused calls fail with EPERM (not a
kill), so student code sees an ordinary OSError.

Written by hand rather than through libseccomp (pyseccomp): no dependency, and it works where
libseccomp is not installed. The filter checks the audit architecture first, so a system call
made through another ABI (x86's int 0x80, x32) cannot slip past with different numbers.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}

# Refused outright. The numbers differ per architecture; names are what a report shows.
_REFUSED = (
    "socket", "connect", "bind", "listen", "accept", "accept4",
    "ptrace", "process_vm_readv", "process_vm_writev",
    "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "mount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount", "fsopen", "fsconfig",
    "fsmount", "fspick", "mount_setattr", "unshare", "setns", "setsid",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
    "open_by_handle_at", "name_to_handle_at", "reboot", "swapon", "swapoff", "syslog", "acct", "quotactl",
)
# socketpair(AF_UNIX) connects a process only to itself (multiprocessing uses it); others are refused.
# clone with namespace flags is refused; clone3 hides its flags behind a pointer, so it answers
# ENOSYS and the C library falls back to clone.
_NR = {
    "x86_64": {
        "socket": 41, "connect": 42, "accept": 43, "bind": 49, "listen": 50, "socketpair": 53, "accept4": 288,
        "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311,
        "keyctl": 250, "add_key": 248, "request_key": 249, "bpf": 321, "perf_event_open": 298, "userfaultfd": 323,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
        "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161, "open_tree": 428, "move_mount": 429,
        "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442,
        "unshare": 272, "setns": 308, "setsid": 112,
        "kexec_load": 246, "kexec_file_load": 320, "init_module": 175, "finit_module": 313, "delete_module": 176,
        "open_by_handle_at": 304, "name_to_handle_at": 303, "reboot": 169, "swapon": 167, "swapoff": 168,
        "syslog": 103, "acct": 163, "quotactl": 179, "clone": 56, "clone3": 435,
    },
    "aarch64": {
        "socket": 198, "connect": 203, "accept": 202, "bind": 200, "listen": 201, "socketpair": 199, "accept4": 242,
        "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271,
        "keyctl": 219, "add_key": 217, "request_key": 218, "bpf": 280, "perf_event_open": 241, "userfaultfd": 282,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
        "mount": 40, "umount2": 39, "pivot_root": 41, "chroot": 51, "open_tree": 428, "move_mount": 429,
        "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442,
        "unshare": 97, "setns": 268, "setsid": 157,
        "kexec_load": 104, "kexec_file_load": 294, "init_module": 105, "finit_module": 273, "delete_module": 106,
        "open_by_handle_at": 265, "name_to_handle_at": 264, "reboot": 142, "swapon": 224, "swapoff": 225,
        "syslog": 116, "acct": 89, "quotactl": 60, "clone": 220, "clone3": 435,
    },
}
_SECCOMP_SYSCALL = {"x86_64": 317, "aarch64": 277}
_NS_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x00000080
_AF_UNIX = 1

_LD_W_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC = 1, 1


class _Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def machine() -> str | None:
    """The architecture this filter knows, or None."""
    m = platform.machine()
    return m if sys.platform.startswith("linux") and m in _NR else None


def program(arch: str) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions; jumps are resolved to the three return labels."""
    nr = _NR[arch]
    body: list[tuple] = [(_LD_W_ABS, 0, 0, 4), ("jne", _AUDIT_ARCH[arch], "eperm"), (_LD_W_ABS, 0, 0, 0)]
    if arch == "x86_64":
        body.append(("jge", 0x40000000, "eperm"))  # the x32 ABI's numbers
    body += [("jeq", nr[name], "eperm") for name in _REFUSED]
    body.append(("jeq", nr["clone3"], "enosys"))
    body.append(("jeq", nr["socketpair"], "socketpair"))
    body.append(("jeq", nr["clone"], "clone"))
    body.append((_RET, 0, 0, _RET_ALLOW))
    labels = {"socketpair": len(body)}
    body += [(_LD_W_ABS, 0, 0, 16), ("jne", _AF_UNIX, "eperm"), (_RET, 0, 0, _RET_ALLOW)]
    labels["clone"] = len(body)
    body += [(_LD_W_ABS, 0, 0, 16), ("jset", _NS_FLAGS, "eperm"), (_RET, 0, 0, _RET_ALLOW)]
    labels["enosys"] = len(body)
    body.append((_RET, 0, 0, _RET_ERRNO | errno.ENOSYS))
    labels["eperm"] = len(body)
    body.append((_RET, 0, 0, _RET_ERRNO | errno.EPERM))
    out = []
    for i, ins in enumerate(body):
        if isinstance(ins[0], int):
            out.append(ins)
            continue
        op, k, label = ins
        offset = labels[label] - i - 1
        assert 0 <= offset < 256, "BPF jump out of range"
        if op == "jeq":
            out.append((_JEQ, offset, 0, k))
        elif op == "jge":
            out.append((_JGE, offset, 0, k))
        elif op == "jset":
            out.append((_JSET, offset, 0, k))
        else:  # jne: fall through when equal
            out.append((_JEQ, 0, offset, k))
    return out


def install() -> str:
    """Install the filter on this process (all its threads); returns what was refused, or raises OSError."""
    arch = machine()
    if arch is None:
        raise OSError(f"no seccomp filter for {platform.machine()} on {sys.platform}")
    code = b"".join(struct.pack("<HBBI", *ins) for ins in program(arch))
    buf = ctypes.create_string_buffer(code, len(code))
    prog = _Prog(len(code) // 8, ctypes.cast(buf, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(NO_NEW_PRIVS) failed")
    if libc.syscall(_SECCOMP_SYSCALL[arch], _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(prog)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"seccomp: {errno.errorcode.get(err, err)}")
    return ("seccomp: no new sockets (socketpair within the sandbox only), no ptrace, namespaces, mounts, "
            "keys, bpf, perf, io_uring, setsid or module loading (EPERM)")
