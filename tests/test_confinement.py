"""The sandbox's confinement, attacked from inside: sockets, the file view, IPC, system calls, strays.

Each test starts what a real machine offers a submission (a Unix socket under /tmp, an abstract
socket, a TCP listener, files in shared folders) and checks that nothing of it can be reached.
"""

from __future__ import annotations

import errno
import os
import platform
import socket
import tempfile
import textwrap
import threading
from pathlib import Path

import pytest
from bind_skeleton import bind_skeleton

from grader import catalog
from grader.sandbox.child_side import confine, landlock, seccomp
from grader.sandbox.judge_side.client import Sandbox, StudentError, WarmProcess
from grader.sandbox.limits import Limits

ATTACK = textwrap.dedent('''
    import ctypes, os, socket, time

    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long

    def unix(address):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(2)
        s.connect(address)
        s.sendall(b"hello from the sandbox")
        return True

    def tcp(port):
        socket.create_connection(("127.0.0.1", port), timeout=2).sendall(b"hello")
        return True

    def listdir(path):
        try:
            return sorted(os.listdir(path))
        except OSError as exc:
            return exc.errno

    def exists(paths):
        return [os.path.exists(p) for p in paths]

    def sysv(key):
        shm = libc.shmget(key, 1 << 20, 0o1666)   # IPC_CREAT | 0666
        msq = libc.msgget(key, 0o1666)
        return [shm, msq]

    def syscalls(numbers):
        out = {}
        for name, (nr, args) in numbers.items():
            r = libc.syscall(nr, *[ctypes.c_long(a) for a in args])
            out[name] = 0 if r >= 0 else ctypes.get_errno()
        return out

    def spawn(n, hold_s):
        """Start n spinning children, each trying to become a session of its own; return after hold_s."""
        started = 0
        for _ in range(n):
            try:
                pid = os.fork()
            except OSError:
                break
            if pid == 0:
                try:
                    os.setsid()
                except OSError:
                    pass
                while True:
                    pass
            started += 1
        time.sleep(hold_s)
        return started

    def others():
        """Live processes of the sandbox other than the worker itself."""
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) != os.getpid():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                            found.append(int(entry))
                except OSError:
                    pass
        return found

    def work(seconds):
        """How many loop rounds fit in `seconds` of wall time: a count, not a timing."""
        end, n = time.monotonic() + seconds, 0
        while time.monotonic() < end:
            for _ in range(1000):
                n += 1
        return n
''')


@pytest.fixture(scope="module")
def warm():
    w = WarmProcess()
    yield w
    w.close()


def sandbox(warm, **limits):
    return Sandbox(warm, {"attack.py": ATTACK.encode()}, "attack", limits=Limits(**limits))


def call(sb, name, *args):
    return sb.call("grader.probe:invoke", (name, *args), {}, 0)


@pytest.fixture
def attack(warm):
    sb = sandbox(warm)
    yield lambda name, *args: call(sb, name, *args)
    sb.close()


def refused(attack, *args) -> None:
    with pytest.raises(StudentError) as info:
        attack(*args)
    assert info.value.outcome == "error"


class Listener:
    """Accepts in the background; `seen` gets whatever connected."""

    def __init__(self, sock: socket.socket):
        self.sock, self.seen, self._stop = sock, [], threading.Event()
        sock.listen(4)
        sock.settimeout(0.1)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.seen.append(self.sock.accept())
            except OSError:
                pass

    def close(self) -> list:
        self._stop.set()
        self._thread.join()
        self.sock.close()
        return self.seen


def test_a_unix_socket_under_tmp_cannot_be_reached(attack):
    folder = tempfile.mkdtemp(prefix="door-", dir="/tmp")
    os.chmod(folder, 0o777)  # anyone on the machine may connect: only the sandbox stops it
    path = os.path.join(folder, "tmux-like.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    os.chmod(path, 0o777)
    listener = Listener(srv)
    try:
        refused(attack, "unix", path)
    finally:
        assert listener.close() == []
        os.unlink(path)
        os.rmdir(folder)


def test_an_abstract_unix_socket_cannot_be_reached(attack):
    name = f"\0grader-test-{os.getpid()}"
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(name)
    listener = Listener(srv)
    try:
        refused(attack, "unix", name)
    finally:
        assert listener.close() == []


def test_a_tcp_listener_on_localhost_cannot_be_reached(attack):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    listener = Listener(srv)
    try:
        refused(attack, "tcp", srv.getsockname()[1])
    finally:
        assert listener.close() == []


def test_the_machines_shared_folders_are_not_visible(warm, tmp_path):
    sb = sandbox(warm)
    try:
        own = {Path(str(sb.workdir)).parts[2]}  # the sandbox's own /tmp/grade-…, rebuilt inside
        markers = []
        for folder in ("/tmp", "/dev/shm", str(Path.home()), str(catalog.REPO_ROOT)):
            try:
                fd, marker = tempfile.mkstemp(prefix="visible-", dir=folder)
                os.close(fd)
                markers.append(marker)
            except OSError:
                pass
        assert call(sb, "exists", markers) == [False] * len(markers)  # not even a path lookup finds them
        for folder in ("/tmp", "/run", "/var/run", "/dev/shm", "/dev/pts", str(Path.home()), "/home",
                       str(catalog.REPO_ROOT), str(catalog.REPO_ROOT / "solutions"), "/etc"):
            inside = call(sb, "listdir", folder)
            if isinstance(inside, int):
                assert inside in (errno.ENOENT, errno.EACCES), (folder, inside)
                continue
            outside = set(os.listdir(folder)) if os.path.isdir(folder) else set()
            assert not (set(inside) & outside) - own - bind_skeleton(folder), (folder, inside)
    finally:
        sb.close()
        for marker in markers:
            os.unlink(marker)


def _sysv_keys() -> set[int]:
    keys = set()
    for table in ("shm", "msg"):
        with open(f"/proc/sysvipc/{table}") as f:
            for line in f.readlines()[1:]:
                keys.add(int(line.split()[0]))
    return keys


def _remove_sysv(key: int) -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for get, ctl in ((libc.shmget, libc.shmctl), (libc.msgget, libc.msgctl)):
        ident = get(key, 0, 0)
        if ident >= 0:
            ctl(ident, 0, None)  # IPC_RMID


def test_sysv_ipc_objects_die_with_the_sandbox(warm):
    key = 0x5EED0000 + os.getpid() % 0xFFFF
    sb = sandbox(warm)
    try:
        shm, msq = call(sb, "sysv", key)
        assert shm >= 0 and msq >= 0  # created, inside
        assert key not in _sysv_keys()  # and never in the machine's IPC namespace
    finally:
        sb.close()
    try:
        assert key not in _sysv_keys()
    finally:
        _remove_sysv(key)  # what the old sandbox left behind


# x86-64 numbers, with arguments that would succeed (or fail otherwise than EPERM) without a filter.
_DANGEROUS = {
    "x86_64": {"socket": (41, [1, 1, 0]), "ptrace": (101, [0, 0, 0, 0]), "unshare": (272, [0x08000000]),
               "mount": (165, [0, 0, 0, 0, 0]), "keyctl": (250, [0, -3, 0]), "bpf": (321, [0, 0, 0]),
               "io_uring_setup": (425, [1, 0]), "setsid": (112, []), "perf_event_open": (298, [0, 0, -1, -1, 0]),
               "userfaultfd": (323, [0])},
    "aarch64": {"socket": (198, [1, 1, 0]), "ptrace": (117, [0, 0, 0, 0]), "unshare": (97, [0x08000000]),
                "mount": (40, [0, 0, 0, 0, 0]), "keyctl": (219, [0, -3, 0]), "bpf": (280, [0, 0, 0]),
                "io_uring_setup": (425, [1, 0]), "setsid": (157, []), "perf_event_open": (241, [0, 0, -1, -1, 0]),
                "userfaultfd": (282, [0])},
}


@pytest.mark.skipif(seccomp.machine() is None, reason="no seccomp filter for this architecture")
def test_dangerous_system_calls_fail_with_eperm(attack):
    got = attack("syscalls", {k: list(v) for k, v in _DANGEROUS[platform.machine()].items()})
    assert got == {name: errno.EPERM for name in got}


def test_seccomp_filter_allows_what_python_needs():
    """The filter program itself: every refused number is there, and jumps stay in range."""
    for arch in ("x86_64", "aarch64"):
        prog = seccomp.program(arch)
        assert len(prog) < 200 and all(0 <= ins[1] < 256 and 0 <= ins[2] < 256 for ins in prog)
        ks = {ins[3] for ins in prog}
        assert all(seccomp._NR[arch][name] in ks for name in seccomp._REFUSED)


def test_processes_started_during_a_call_are_gone_at_the_next(warm):
    sb = sandbox(warm, call_timeout_s=20)
    try:
        started = call(sb, "spawn", 12, 0.2)
        assert started > 0
        assert call(sb, "others") == []
    finally:
        sb.close()


def _in_namespace_of(pid: int) -> int:
    """Live processes, seen from the machine, in the PID namespace of `pid` (itself excluded)."""
    ns = os.readlink(f"/proc/{pid}/ns/pid")
    count = 0
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and int(entry) != pid and os.readlink(f"/proc/{entry}/ns/pid") == ns:
                with open(f"/proc/{entry}/stat") as f:
                    count += f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            pass
    return count


def test_a_spinning_neighbour_does_not_starve_a_check(warm):
    """A submission leaves 60 spinning children behind (each trying setsid, so that each would be
    a scheduling group of its own): none runs by the time its neighbour's check does, which then
    runs unhindered. Counted, not timed: a ratio of work done alone and beside it would measure the
    load of the machine (shared with others) as much as the sandbox."""
    quiet = sandbox(warm, call_timeout_s=30)
    noisy = sandbox(warm, call_timeout_s=30)
    try:
        assert call(noisy, "spawn", 60, 0.0) > 0
        assert noisy._worker is not None
        left = _in_namespace_of(noisy._worker.pid)
        shared = call(quiet, "work", 1.0)
        assert left == 0 and _in_namespace_of(noisy._worker.pid) == 0
        assert shared > 0
    finally:
        quiet.close()
        noisy.close()


def test_landlock_steps_are_enforced_where_the_kernel_has_them(warm):
    abi = landlock.abi_version()
    sb = sandbox(warm)
    try:
        call(sb, "listdir", ".")
        enforced = sb.facts["enforced"]
    finally:
        sb.close()
    wanted = {1: "landlock_fs", 4: "landlock_net", 6: "landlock_scope"}
    texts = dict(landlock.STEPS)
    for needs, step in wanted.items():
        if abi >= needs:
            assert any(t.startswith(texts[step][:-1]) for t in enforced), (step, enforced)


@pytest.mark.skipif(not os.path.exists("/proc/self/ns/ipc"), reason="needs Linux namespaces")
def test_every_layer_is_reported_enforced_on_this_machine(warm):
    sb = sandbox(warm)
    try:
        call(sb, "listdir", ".")
        enforced = " ".join(sb.facts["enforced"])
    finally:
        sb.close()
    for words in ("fresh root", "IPC namespace", "seccomp", "private /tmp", "PID namespace"):
        assert words in enforced, (words, sb.facts)


# -- CUDA: the device nodes granted --------------------------------------------------------------

PRESENT = ["null", "nvidia0", "nvidia1", "nvidia2", "nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia-caps"]


@pytest.mark.parametrize("device, visible, nodes", [
    ("cuda", None, ["nvidia0"]),
    ("cuda:1", None, ["nvidia1"]),
    ("cuda:0", "2,0", ["nvidia2"]),
    ("cuda:1", "2,0", ["nvidia0"]),
    ("cuda:0", "GPU-8f3c", ["nvidia0", "nvidia1", "nvidia2"]),  # UUIDs: cannot map, all GPUs
    ("cuda:0", "", []),                                        # none visible
    ("cuda:5", None, []),                                      # no such GPU
])
def test_cuda_grants_only_the_chosen_gpu_nodes(device, visible, nodes):
    got = confine.gpu_device_nodes(device, visible, PRESENT)
    assert got == [f"/dev/{n}" for n in nodes] + ["/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools"]


def test_cpu_mode_grants_only_the_basic_devices():
    _, write = confine.readable_system_paths("cpu")
    assert write == ["/dev/null", "/dev/zero", "/dev/urandom", "/dev/random"]


@pytest.mark.skipif(not os.path.exists("/dev/nvidiactl"), reason="needs an NVIDIA GPU")
def test_cuda_worker_sees_only_its_gpu_nodes(warm):
    import torch

    if not torch.cuda.is_available():
        pytest.skip("needs CUDA in torch")
    sb = Sandbox(warm, {"attack.py": ATTACK.encode()}, "attack", device="cuda")
    try:
        assert call(sb, "listdir", "/tmp") is not None
        inside = call(sb, "listdir", "/dev")
        expected = [os.path.basename(p) for p in confine.readable_system_paths("cuda")[1]]
        assert isinstance(inside, int) or sorted(inside) == sorted(expected)
        assert any(f.startswith("device nodes: ") and "/dev/nvidiactl" in f for f in sb.facts["enforced"])
        assert "/dev/nvidia" in " ".join(sb.facts["enforced"])
    finally:
        sb.close()
