"""A fresh root for the worker, built from an allow-list: what is not bound in does not exist.

Runs in the worker's own mount namespace (as root, or as root of a user namespace). The new
root is an empty tmpfs holding, read-only, only the folders Python, torch and numpy need, a
minimal /dev of bound device nodes, /proc of the worker's PID namespace, a small private /tmp
and the submission's folder on its own tmpfs, at the same path as outside. The host's /tmp,
/run, /dev/shm, home folders and the grader's repository are simply not there.
"""

from __future__ import annotations

import ctypes
import os
import platform

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 32, 4096, 16384, 1 << 18
_MNT_DETACH = 2
_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
_MOUNT_SETATTR = 442  # the same number on every architecture
_AT_EMPTY_PATH, _AT_RECURSIVE = 0x1000, 0x8000
_ATTR_RDONLY, _ATTR_NOSUID, _ATTR_NODEV = 0x1, 0x2, 0x4
NEW_ROOT = "/tmp"  # a mount point of this private namespace only; the host's /tmp is untouched
TMP_MB = 16


def _check(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(src: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(_libc.mount(src.encode() if src else None, target.encode(), fstype.encode() if fstype else None,
                       flags, data.encode() if data else None), f"mount {target}")


class _Attr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def _read_only(target: str) -> None:
    """Make a bind mount and every mount below it read-only, nosuid, nodev."""
    attr = _Attr(_ATTR_RDONLY | _ATTR_NOSUID | _ATTR_NODEV, 0, 0, 0)
    fd = os.open(target, os.O_PATH | os.O_CLOEXEC)
    try:
        r = _libc.syscall(_MOUNT_SETATTR, fd, b"", _AT_EMPTY_PATH | _AT_RECURSIVE, ctypes.byref(attr), ctypes.sizeof(attr))
    finally:
        os.close(fd)
    if r == 0:
        return
    # Kernels before 5.12: a remount of the top mount, keeping the flags a user namespace may not clear.
    flags = os.statvfs(target).f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC | 1024 | 2048 | 4096)  # + noatime etc.
    _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | flags)


def _make_target(path: str, is_dir: bool) -> None:
    if is_dir:
        os.makedirs(path, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if not os.path.exists(path):
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))


def _read_tree(folder: str) -> dict[str, bytes]:
    saved = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                saved[os.path.relpath(path, folder)] = f.read()
    return saved


def build(*, workdir: str, disk_mb: int, owner: int | None, read_only: list[str], devices: list[str],
          hide: list[str]) -> None:
    """Build the new root and pivot into it. Paths keep their names; missing ones are skipped.

    `read_only`: folders and files bound read-only; `devices`: device nodes bound read-write;
    `hide`: folders inside a bound folder covered by an empty read-only tmpfs (the grader itself).
    """
    if platform.machine() not in _PIVOT_ROOT:
        raise OSError(f"no pivot_root number known for {platform.machine()}")
    files = _read_tree(workdir)
    os.umask(0o022)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    # Take every source now: the new root will cover NEW_ROOT, where some of them may live.
    sources: list[tuple[str, int, bool]] = []
    links: list[tuple[str, str]] = []
    bound: list[str] = []
    for path in sorted(dict.fromkeys(read_only), key=len) + devices:
        if os.path.islink(path):
            links.append((path, os.readlink(path)))
            path = os.path.realpath(path)
        if any(path == b or path.startswith(b.rstrip("/") + "/") for b in bound):
            continue  # already inside a bound folder
        bound.append(path)
        try:
            sources.append((path, os.open(path, os.O_PATH | os.O_CLOEXEC), os.path.isdir(path)))
        except OSError:
            continue  # not on this machine
    try:
        _mount("tmpfs", NEW_ROOT, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m")
    except OSError:
        for _, fd, _ in sources:
            os.close(fd)
        raise
    try:
        _populate(sources, links, devices, hide, workdir, files, disk_mb, owner)
    except BaseException:
        _libc.umount2(NEW_ROOT.encode(), _MNT_DETACH)  # back to the machine's view, for the fallback
        raise
    finally:
        for _, fd, _ in sources:
            os.close(fd)
    os.chdir(NEW_ROOT)
    _check(int(_libc.syscall(_PIVOT_ROOT[platform.machine()], b".", b".")), "pivot_root")
    _check(_libc.umount2(b".", _MNT_DETACH), "detach the old root")
    os.chdir("/")


def private_workdir(path: str, files: dict[str, bytes], size_mb: int, owner: int | None) -> None:
    """The submission's folder on a small tmpfs of its own: many files cannot fill the machine's disk."""
    os.makedirs(path, exist_ok=True)
    opts = f"size={size_mb}m,mode=0700" + (f",uid={owner},gid={owner}" if owner is not None else "")
    _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, opts)
    for rel, data in files.items():
        target = os.path.join(path, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
        if owner is not None:
            os.chown(target, owner, owner)
            for parent in _parents_below(os.path.dirname(target), path):
                os.chown(parent, owner, owner)


def _parents_below(folder: str, top: str) -> list[str]:
    out = []
    while folder != top and folder.startswith(top + os.sep):
        out.append(folder)
        folder = os.path.dirname(folder)
    return out


def _populate(sources: list[tuple[str, int, bool]], links: list[tuple[str, str]], devices: list[str],
              hide: list[str], workdir: str, files: dict[str, bytes], disk_mb: int, owner: int | None) -> None:
    """Mount everything under NEW_ROOT (the steps of build() before the pivot).

    /proc and the private /tmp come first, so that folders bound from below /tmp (a virtual
    environment in a checkout there) are bound on top of the private /tmp rather than covered by it.
    """
    os.makedirs(NEW_ROOT + "/proc", exist_ok=True)
    _mount("proc", NEW_ROOT + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.makedirs(NEW_ROOT + "/tmp", exist_ok=True)
    _mount("tmpfs", NEW_ROOT + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={TMP_MB}m")
    for path, fd, is_dir in sources:
        target = NEW_ROOT + path
        _make_target(target, is_dir)
        _mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC)
        if path not in devices:
            _read_only(target)
    for path in hide:
        if os.path.isdir(NEW_ROOT + path):
            _mount("tmpfs", NEW_ROOT + path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555")
    for link, target in links:
        if not os.path.lexists(NEW_ROOT + link):
            os.makedirs(os.path.dirname(NEW_ROOT + link), exist_ok=True)
            os.symlink(target, NEW_ROOT + link)
    private_workdir(NEW_ROOT + workdir, files, disk_mb, owner)
    _mount(None, NEW_ROOT, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
