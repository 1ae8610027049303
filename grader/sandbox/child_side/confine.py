"""Confinement steps for a sandbox child: namespaces, mounts, resource limits, Landlock, user.

Each step returns what it enforced, or raises; the caller records a step that could not be
enforced so that the report can say so instead of pretending.
"""

from __future__ import annotations

import ctypes
import os
import re
import resource
import signal
import site
import socket
import stat
import sys
import sysconfig

from grader.sandbox.child_side import fsroot
from grader.sandbox.limits import SANDBOX_UID_BASE, UNPRIVILEGED_UID
from grader.sandbox.protocol import Step

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x10000000, 0x20000000, 0x40000000
CLONE_NEWUTS, CLONE_NEWIPC = 0x04000000, 0x08000000
MS_BIND, MS_REC, MS_PRIVATE, MS_NOSUID, MS_NODEV, MS_NOEXEC = 4096, 16384, 1 << 18, 2, 4, 8
_libc = ctypes.CDLL(None, use_errno=True)
_GRADER_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _check(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def enter_namespaces() -> list[Step]:
    """New PID, network, mount, IPC and UTS namespaces; through a user namespace when not root.

    Nothing a submission creates outlives them: SysV IPC objects and message queues die with the
    IPC namespace, processes with the PID namespace, files with the mount namespace's tmpfs.
    """
    if not sys.platform.startswith("linux"):
        raise OSError("namespaces need Linux")
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS
    if uid != 0:
        flags |= CLONE_NEWUSER
    _check(_libc.unshare(flags), "unshare")
    if uid != 0:
        with open("/proc/self/setgroups", "w") as f:
            f.write("deny")
        with open("/proc/self/uid_map", "w") as f:
            f.write(f"0 {uid} 1")
        with open("/proc/self/gid_map", "w") as f:
            f.write(f"0 {gid} 1")
    socket.sethostname("sandbox")
    steps = [Step("user_ns", True, "a user namespace (grading as a normal user)" if uid else "started by root"),
             Step("pid_ns", True, "every process it starts is killed with it (PID namespace)"),
             Step("net_ns", True, "no network (empty network namespace)"),
             Step("ipc_ns", True, "SysV IPC and message queues of its own, gone when it ends (IPC namespace)"),
             Step("uts_ns", True, "a host name of its own (UTS namespace)"),
             Step("mount_ns", True, "a mount namespace of its own")]
    return steps


def namespaces_not_entered(reason: str) -> list[Step]:
    """The steps enter_namespaces() would have enforced, each marked as not enforced."""
    texts = {"pid_ns": "PID namespace (processes it starts are killed by process group instead)",
             "net_ns": "network isolation", "ipc_ns": "private SysV IPC", "uts_ns": "private host name",
             "mount_ns": "private mount namespace", "user_ns": "user namespace"}
    return [Step(k, False, f"{v}: {reason}") for k, v in texts.items()]


def python_paths() -> list[str]:
    """Folders the child must read: the interpreter's library and installed packages, minus this grader."""
    paths = {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]}
    site_dirs = set(site.getsitepackages() + [site.getusersitepackages()])
    site_dirs.update(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))
    for d in site_dirs:
        if not os.path.isdir(d):
            continue
        for name in os.listdir(d):
            full = os.path.join(d, name)
            if os.path.realpath(full) == _GRADER_DIR or name.startswith(("grader", "__editable__")):
                continue
            paths.add(full)
    return sorted(paths)


def python_bind_paths() -> list[str]:
    """Folders bound into the fresh root for Python: its standard library and whole site folders.

    The grader's own package is then covered (grader_dirs); a site folder is bound whole because
    one bind per installed package would cost a mount each.
    """
    paths = {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]}
    paths.update(p for p in site.getsitepackages() + sys.path if p.endswith(("site-packages", "dist-packages")))
    return sorted(p for p in paths if os.path.isdir(p))


def grader_dirs() -> list[str]:
    """The grader's package wherever a bound folder holds it (a non-editable install): to be covered."""
    found = {_GRADER_DIR}
    for d in python_bind_paths():
        for name in os.listdir(d):
            if name == "grader" and os.path.isdir(os.path.join(d, name)):
                found.add(os.path.join(d, name))
    return sorted(found)


def _blocking_ancestor(path: str, uid: int) -> str | None:
    """The highest folder above `path` that `uid` cannot enter (e.g. /root, mode 0700)."""
    parts = os.path.abspath(path).split(os.sep)
    for i in range(2, len(parts)):
        folder = os.sep.join(parts[:i])
        st = os.stat(folder)
        if st.st_uid != uid and not st.st_mode & stat.S_IXOTH:
            return folder
    return None


def expose_python(uid: int, extra: tuple[str, ...] = ()) -> None:
    """Make the interpreter (and `extra` folders) reachable for `uid` under a private folder such as /root.

    In this process's own mount namespace, an empty tmpfs covers the private folder and only the
    Python folders are bound back: the rest of that folder (the instructor's home) stays hidden.
    """
    _check(_libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    prefixes = sorted({sys.prefix, sys.base_prefix, sysconfig.get_paths()["stdlib"], *extra} | {
        p for p in sys.path if p.endswith("site-packages")})
    covers: dict[str, list[str]] = {}
    for p in prefixes:
        anc = _blocking_ancestor(p, uid) if os.path.exists(p) else None
        if anc:
            covers.setdefault(anc, []).append(p)
    for anc, keep in covers.items():
        fds = [(p, os.open(p, os.O_PATH | os.O_DIRECTORY)) for p in keep]
        _check(_libc.mount(b"tmpfs", anc.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0755,size=1m"), f"mount tmpfs on {anc}")
        for p, fd in fds:
            os.makedirs(p, exist_ok=True)
            _check(_libc.mount(f"/proc/self/fd/{fd}".encode(), p.encode(), None, MS_BIND | MS_REC, None), f"bind {p}")
            os.close(fd)


def private_workdir(workdir: str, size_mb: int, owner: int | None) -> None:
    """Put the submission's folder on its own small tmpfs in place (without a fresh root): same as fsroot's."""
    saved = {}
    for root, _, names in os.walk(workdir):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                saved[os.path.relpath(path, workdir)] = f.read()
    fsroot.private_workdir(workdir, saved, size_mb, owner)


def mount_proc() -> None:
    """A /proc that shows only the sandbox's own processes."""
    _check(_libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "mount /proc")


def set_limits(memory_mb: int, cpu_s: int, nproc: int, fsize_mb: int, nofile: int,
               limit_address_space: bool) -> list[tuple[str, str]]:
    """Resource limits; the address-space limit counts on top of what the warm process already maps."""
    done: list[tuple[str, str]] = []
    if limit_address_space and sys.platform.startswith("linux"):
        with open("/proc/self/statm") as f:
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cap = mapped + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        done.append(("memory", f"memory: {memory_mb} MB beyond the loaded interpreter and torch"))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize_mb * 2**20, fsize_mb * 2**20))
    resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails with an error instead of killing
    done.append(("rlimits", f"CPU time {cpu_s} s, files and output {fsize_mb} MB, {nofile} open files"))
    resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    done.append(("nproc", f"at most {nproc} processes and threads of this user"))
    return done


def processes_of(uid: int) -> int:
    """How many processes `uid` runs now: RLIMIT_NPROC counts them all, not only the sandbox's."""
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                count += os.stat(f"/proc/{entry}").st_uid == uid
            except OSError:
                pass
    return count


def sandbox_uid(supervisor_pid: int) -> int:
    """A uid of this sandbox's own (root only): RLIMIT_NPROC then counts its processes alone, and
    no other sandbox runs as it. The supervisor's PID is unique among live processes, so two
    sandboxes alive at once never share one, across any number of judges."""
    return SANDBOX_UID_BASE + supervisor_pid


def drop_privileges(uid: int = UNPRIVILEGED_UID) -> Step:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    return Step("uid", True, f"runs as an unprivileged user of its own (uid {uid})")


def die_with_parent() -> None:
    """SIGKILL this process when its parent dies (cleared by setuid, so set again after dropping)."""
    if sys.platform.startswith("linux"):
        _libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def scrub_environment(workdir: str) -> None:
    keep = {k: os.environ[k] for k in ("CUDA_VISIBLE_DEVICES",) if k in os.environ}
    os.environ.clear()
    os.environ.update(keep, PATH="/usr/bin:/bin", HOME=workdir, TMPDIR=workdir, LANG="C.UTF-8",
                      OMP_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1", CUDA_DEVICE_ORDER="PCI_BUS_ID")


def readable_system_paths(device: str) -> tuple[list[str], list[str]]:
    """System paths a child reads (shared libraries, /proc) and writes (/dev/null; GPU device files)."""
    read = ["/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib", "/usr/share/zoneinfo",
            "/etc/ld.so.cache", "/etc/localtime", "/proc", "/sys/devices/system/cpu"]
    write = list(BASIC_DEVICES)
    if device.startswith("cuda"):
        read += ["/sys", "/usr/local/nvidia", "/usr/local/cuda", "/etc/nvidia"]
        write += gpu_device_nodes(device, os.environ.get("CUDA_VISIBLE_DEVICES"), _dev_listing())
    return read, write


BASIC_DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")
_GPU_SHARED = ("nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia-modeset")


def _dev_listing() -> list[str]:
    try:
        return os.listdir("/dev")
    except OSError:
        return []


def gpu_device_nodes(device: str, visible: str | None, present: list[str]) -> list[str]:
    """The NVIDIA device nodes a worker on `device` needs, out of the names `present` in /dev.

    cuda:N is the N-th visible GPU; with CUDA_VISIBLE_DEVICES as indices, that picks /dev/nvidiaM.
    The worker enumerates GPUs in PCI order (CUDA_DEVICE_ORDER, see scrub_environment), the order
    of the driver's minor numbers. A visible list of UUIDs or MIG names cannot be mapped without
    the driver, so then every GPU node is granted (and the run facts say which).
    """
    index = int(device.split(":", 1)[1]) if ":" in device else 0
    gpus = sorted((n for n in present if re.fullmatch(r"nvidia\d+", n)), key=lambda n: int(n[6:]))
    chosen: list[str]
    if visible is None or visible.strip() == "":
        chosen = [f"nvidia{index}"] if visible is None else []
    else:
        entries = [e.strip() for e in visible.split(",") if e.strip()]
        if all(e.isdigit() for e in entries):
            chosen = [f"nvidia{int(entries[index])}"] if index < len(entries) else []
        else:
            chosen = gpus
    return [f"/dev/{n}" for n in [*chosen, *_GPU_SHARED] if n in present]
