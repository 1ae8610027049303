"""The sandbox's promises, probed from inside by code that tries to break them."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
import torch
from bind_skeleton import bind_skeleton

from grader import catalog
from grader.sandbox.child_side import landlock
from grader.sandbox.judge_side.client import Sandbox, StudentError, WarmProcess
from grader.sandbox.limits import SANDBOX_UID_BASE, Limits

SPY = textwrap.dedent('''
    import os, socket, sys

    def environ():
        return dict(os.environ)

    def read(path):
        with open(path, "rb") as f:
            return f.read(200)

    def write(path):
        with open(path, "w") as f:
            f.write("overwritten by a student")
        return True

    def listdir(path):
        return sorted(os.listdir(path))

    def connect(host, port):
        socket.create_connection((host, port), timeout=1)
        return True

    def identity():
        return {"uid": os.getuid(), "pid": os.getpid(), "cwd": os.getcwd()}

    def modules():
        return sorted(m for m in sys.modules if m.startswith("grader") and m.endswith(".checks")
                      or m.startswith(("_reference", "solutions", "grader.judge", "pytest", "_pytest")))

    def kill(pid):
        os.kill(pid, 9)
        return True

    def shout(n):
        sys.stdout.write("x" * n)
        return n

    def double(t):
        return t * 2

    def import_checks():
        import importlib
        return importlib.import_module("grader.suites.ex05_linear_loop.checks").__name__

    def leave(text):
        with open("note.txt", "w") as f:
            f.write(text)
        return os.path.abspath("note.txt")
''')


@pytest.fixture(scope="module")
def warm():
    w = WarmProcess()
    yield w
    w.close()


@pytest.fixture
def spy(warm):
    sb = Sandbox(warm, {"spy.py": SPY.encode()}, "spy", limits=Limits(call_timeout_s=10))
    yield lambda name, *args: sb.call("grader.probe:invoke", (name, *args), {}, 0)
    sb.close()


def denied(call, *args) -> str:
    with pytest.raises(StudentError) as info:
        call(*args)
    assert info.value.outcome == "error"
    return info.value.type_name


def test_round_trip_of_plain_data(spy):
    t = torch.arange(6.0).reshape(2, 3)
    assert torch.equal(spy("double", t), t * 2)


def test_environment_is_scrubbed(spy, monkeypatch):
    env = spy("environ")
    assert set(env) <= {"PATH", "HOME", "TMPDIR", "LANG", "OMP_NUM_THREADS", "PYTHONDONTWRITEBYTECODE", "CUDA_VISIBLE_DEVICES",
                        "CUDA_DEVICE_ORDER"}


def test_secrets_of_the_judge_stay_out_of_reach(spy):
    me = os.getpid()
    assert denied(spy, "read", f"/proc/{me}/environ") in ("PermissionError", "FileNotFoundError")
    assert denied(spy, "read", f"/proc/{me}/mem") in ("PermissionError", "FileNotFoundError")
    assert denied(spy, "kill", me) in ("PermissionError", "ProcessLookupError")


def test_reference_checks_and_repository_are_unreadable(spy):
    ex = catalog.by_number("05")
    for path in (ex.reference_file, ex.checks_file, catalog.REPO_ROOT / "pyproject.toml"):
        assert denied(spy, "read", str(path)) in ("PermissionError", "FileNotFoundError"), path
    try:
        listed = spy("listdir", str(catalog.REPO_ROOT))
    except StudentError as exc:
        assert exc.type_name in ("PermissionError", "FileNotFoundError")
    else:  # a venv inside the checkout is bound: its empty mount point is all there is
        assert set(listed) <= bind_skeleton(str(catalog.REPO_ROOT)), listed
    assert denied(spy, "listdir", "/") == "PermissionError"


def test_no_checks_or_reference_in_the_workers_memory(spy):
    assert spy("modules") == []


def test_reports_cannot_be_overwritten(spy, tmp_path):
    report = tmp_path / "grade-report.html"
    report.write_text("the real report")
    assert denied(spy, "write", str(report)) in ("PermissionError", "FileNotFoundError")
    assert report.read_text() == "the real report"


def test_no_network(spy):
    """A listener the test starts on the machine's loopback is not reached (a closed port proves nothing)."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    try:
        assert denied(spy, "connect", "127.0.0.1", server.getsockname()[1]) in (
            "PermissionError", "OSError", "ConnectionRefusedError", "TimeoutError")
        with pytest.raises(TimeoutError):
            server.accept()
    finally:
        server.close()


@pytest.mark.skipif(os.getuid() != 0, reason="privileges are dropped only when grading as root")
def test_runs_unprivileged_in_its_own_pid_namespace(spy):
    ident = spy("identity")
    assert ident["uid"] >= SANDBOX_UID_BASE  # a uid of its own, shared with no other sandbox
    assert ident["pid"] == 1


def test_output_is_capped_per_call(warm):
    sb = Sandbox(warm, {"spy.py": SPY.encode()}, "spy", limits=Limits(output_cap=1000))
    try:
        assert sb.call("grader.probe:invoke", ("shout", 50_000), {}, 0) == 50_000
        assert len(sb.output["stdout"]) < 1100 and "output cut" in sb.output["stdout"]
    finally:
        sb.close()


def test_unregistered_probe_is_refused(spy, warm):
    sb = Sandbox(warm, {"spy.py": SPY.encode()}, "spy")
    try:
        with pytest.raises(StudentError, match="no probe named"):
            sb.call("os:system", ("true",), {}, 0)
    finally:
        sb.close()


def test_facts_say_what_was_enforced(warm):
    sb = Sandbox(warm, {"spy.py": SPY.encode()}, "spy")
    try:
        sb.call("grader.probe:invoke", ("identity",), {}, 0)
        enforced = " ".join(sb.facts["enforced"])
        if landlock.abi_version() >= 1:  # a kernel with Landlock: the step must be enforced, not excused
            assert "read-write only the submission's folder (Landlock ABI" in enforced, sb.facts
        assert "CPU time" in enforced
    finally:
        sb.close()


def test_a_dead_warm_process_is_restarted():
    import signal

    warm = WarmProcess()
    try:
        warm.wait_ready()
        os.kill(warm.pid, signal.SIGKILL)
        sb = Sandbox(warm, {"spy.py": SPY.encode()}, "spy")
        try:
            assert sb.call("grader.probe:invoke", ("double", 21), {}, 0) == 42
        finally:
            sb.close()
    finally:
        warm.close()


def test_checks_cannot_be_imported_from_inside(spy):
    assert denied(spy, "import_checks") in ("PermissionError", "ModuleNotFoundError", "ImportError")


def test_submissions_cannot_see_each_other_or_write_elsewhere(warm):
    first = Sandbox(warm, {"spy.py": SPY.encode()}, "spy")
    second = Sandbox(warm, {"spy.py": SPY.encode()}, "spy")
    try:
        path = first.call("grader.probe:invoke", ("leave", "alice's answer"), {}, 0)
        with pytest.raises(StudentError) as info:
            second.call("grader.probe:invoke", ("read", path), {}, 0)
        assert info.value.type_name in ("PermissionError", "FileNotFoundError")  # unreadable, or not even visible
        for elsewhere in ("/tmp/planted.py", str(catalog.REPO_ROOT / "planted.py")):
            try:  # refused, or written to the sandbox's private /tmp: never to the machine's
                second.call("grader.probe:invoke", ("write", elsewhere), {}, 0)
            except StudentError:
                pass
            assert not Path(elsewhere).exists()
    finally:
        first.close()
        second.close()


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_is_initialised_in_the_worker_only(warm):
    sb = Sandbox(warm, {"spy.py": SPY.encode()}, "spy", device="cuda")
    try:
        out = sb.call("grader.probe:invoke", ("double", torch.ones(3)), {}, 0)  # moved to the GPU by invoke
        assert torch.equal(out, torch.full((3,), 2.0))
        assert any("not enforced" in f or "memory" in f for f in sb.facts["not_enforced"])
    finally:
        sb.close()
