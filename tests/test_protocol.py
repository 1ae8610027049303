"""The sandbox protocol: each message round trips, and the judge's decoder refuses anything else.

A reply is hostile input: whatever bytes arrive on the channel, a call ends as the submission's
crashed (or error) result, never as an exception of another kind in the judge.
"""

from __future__ import annotations

import os
import socket
import struct
import subprocess

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader import wire
from grader.sandbox import channel, protocol
from grader.sandbox.child_side import worker
from grader.sandbox.judge_side.client import Sandbox, StudentError
from grader.sandbox.protocol import Facts, Failure, Frame, Hello, ProtocolError, Ready, Reply, Step

FRAME = Frame("train_linear.py", 3, "train_linear", "raise ValueError")


@pytest.mark.parametrize("message", [
    Hello(1234, 1233),
    Facts((Step("pid_ns", True, "PID namespace"), Step("landlock_net", False, "no TCP rules"))),
    Ready(None),
    Ready(Failure("exception", "SyntaxError", "invalid syntax", (FRAME,))),
    Reply(value={"w": torch.ones(2), "losses": [0.5, float("nan")], "t": (1, "x", b"raw")}),
    Reply(failure=Failure("not_implemented", "NotImplementedError", "TODO(05.1)", (FRAME,) * 3)),
    protocol.Exited(-9),
], ids=lambda m: type(m).__name__)
def test_messages_round_trip(message):
    back = protocol.from_sandbox(message.encode(), type(message) if not isinstance(message, protocol.Exited) else Reply)
    if isinstance(message, Reply) and message.failure is None:
        assert back.value["losses"][0] == 0.5 and torch.equal(back.value["w"], message.value["w"])
        assert back.value["t"] == (1, "x", b"raw")
    else:
        assert back == message


def test_judge_side_messages_round_trip():
    config = protocol.SpawnConfig("/w", "/o", "/e", "mod", "cpu", 7, {"memory_mb": 512})
    assert protocol.SpawnConfig.decode(config.encode()) == config
    call = protocol.Call.decode(protocol.Call("m:p", (1, [2.0]), {"k": "v"}, 3).encode())
    assert (call.probe, call.args, call.kwargs, call.seed) == ("m:p", (1, [2.0]), {"k": "v"}, 3)
    assert protocol.Call.decode(protocol.Call("m:p", (), {}, 3, 9.5).encode()).timeout_s == 9.5
    config = protocol.SpawnConfig("/w", "/o", "/e", "mod", "cpu", 7, {}, stacks="/s", import_timeout_s=4)
    back = protocol.SpawnConfig.decode(config.encode())
    assert (back.stacks, back.import_timeout_s) == ("/s", 4.0)
    assert protocol.from_warm(protocol.Spawned(42).encode()) == protocol.Spawned(42)
    assert protocol.from_warm(protocol.WarmReady().encode()) == protocol.WarmReady()


@pytest.mark.parametrize("timeout_s", [-1.0, float("nan"), float("inf"), 1e7, 5, "5", None, True])
def test_a_calls_timeout_is_validated(timeout_s):
    """The worker arms its stack dump from this field: only a finite, bounded float is taken."""
    raw = wire.encode({"t": "call", "probe": "m:p", "args": [], "kwargs": {}, "seed": 0, "timeout_s": timeout_s})
    with pytest.raises(protocol.ProtocolError):
        protocol.Call.decode(raw)


def _forged(d: dict) -> bytes:
    return wire.encode(d)


GOOD_FAILURE = {"kind": "exception", "type": "ValueError", "message": "m", "frames": [FRAME.as_dict()]}


@pytest.mark.parametrize("payload, expect", [
    ({"t": "reply", "ok": 1, "value": 3}, Reply),                                  # ok must be a bool
    ({"t": "reply", "ok": True}, Reply),                                           # no value
    ({"t": "reply", "ok": True, "value": 1, "extra": 2}, Reply),                   # unknown field
    ({"t": "facts", "steps": []}, Reply),                                          # not the message due
    ({"ok": True, "value": 1}, Reply),                                             # untagged (the old format)
    ({"t": "reply", "ok": False, "failure": dict(GOOD_FAILURE, kind="root")}, Reply),
    ({"t": "reply", "ok": False, "failure": dict(GOOD_FAILURE, message="x" * 5000)}, Reply),
    ({"t": "reply", "ok": False, "failure": dict(GOOD_FAILURE, frames=[FRAME.as_dict()] * 51)}, Reply),
    ({"t": "reply", "ok": False, "failure": dict(GOOD_FAILURE, frames=[dict(FRAME.as_dict(), code="c" * 301)])}, Reply),
    ({"t": "reply", "ok": False, "failure": dict(GOOD_FAILURE, frames=[dict(FRAME.as_dict(), line="3")])}, Reply),
    ({"t": "reply", "ok": False, "failure": dict(GOOD_FAILURE, type=None)}, Reply),
    ({"t": "ready", "import_error": "boom"}, Ready),
    ({"t": "hello", "pid": 0, "supervisor": 1}, Hello),
    ({"t": "hello", "pid": 2**40, "supervisor": 1}, Hello),
    ({"t": "hello", "pid": True, "supervisor": 1}, Hello),
    ({"t": "facts", "steps": [["made_up", True, "x"]]}, Facts),
    ({"t": "facts", "steps": [["pid_ns", 1, "x"]]}, Facts),
    ({"t": "facts", "steps": [["pid_ns", True, "x" * 501]]}, Facts),
    ({"t": "exited", "code": "9"}, Reply),
    ({"t": "exited", "code": 10**6}, Reply),
])
def test_malformed_messages_are_protocol_errors(payload, expect):
    with pytest.raises(ProtocolError):
        protocol.from_sandbox(_forged(payload), expect)


def test_the_worker_cuts_failures_to_the_bounds():
    """An honest worker never trips the judge's bounds, however long the student's names and lines."""
    def deep(n):
        return deep(n + 1)

    try:
        deep(0)
    except RecursionError as exc:
        failure = worker.describe_exception(exc, os.path.dirname(__file__))
    assert len(failure.frames) <= protocol.MAX_FRAMES
    long = protocol.failure("exception", "T" * 999, "m" * 10**6, [{"file": "f" * 10**6, "line": 1, "function": "g",
                                                                   "code": "c" * 10**6}] * 500)
    back = protocol.from_sandbox(Reply(failure=long).encode(), Reply)
    assert back.failure is not None and len(back.failure.frames) == protocol.MAX_FRAMES
    assert len(back.failure.message) == protocol.MAX_MESSAGE


# -- the whole reply path: a scripted sandbox that says whatever hypothesis makes up ---------------
def _framed(payload: bytes) -> bytes:
    return struct.pack("<Q", len(payload)) + payload


class ScriptedWarm:
    """Stands in for the warm process: a real (sleeping) process as the worker, and a script of bytes as its talk."""

    def __init__(self, script: bytes, steps: tuple[Step, ...] = (Step("pid_ns", True, "PID namespace"),)):
        self.script = script
        self.steps = steps
        self.procs: list[subprocess.Popen] = []
        self.socks: list[socket.socket] = []

    def spawn(self, config: protocol.SpawnConfig, fd: int) -> int:
        proc = subprocess.Popen(["sleep", "30"])
        self.procs.append(proc)
        sock = socket.socket(fileno=os.dup(fd))
        self.socks.append(sock)
        sock.sendall(_framed(Hello(proc.pid, os.getpid()).encode()) + _framed(Facts(self.steps).encode()) + self.script)
        sock.shutdown(socket.SHUT_WR)  # then silence: what the judge sends is still taken
        return proc.pid

    def reap(self) -> None:
        for p in self.procs:
            p.kill()
            p.wait()
        for sock in self.socks:
            sock.close()


def _call_with_script(script: bytes):
    warm = ScriptedWarm(script)
    sb = Sandbox(warm, {"m.py": b""}, "m")  # type: ignore[arg-type]
    try:
        return sb.call("grader.probe:invoke", ("f",), {}, 0)
    finally:
        sb.close()
        try:
            for p in warm.procs:
                assert p.wait(timeout=10) == -9  # the judge killed the "worker"
        finally:
            warm.reap()


READY = _framed(Ready(None).encode())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_arbitrary_bytes_on_the_channel_end_as_crashed(junk):
    for script in (junk, READY + junk, READY + _framed(junk)):
        with pytest.raises(StudentError) as info:
            _call_with_script(script)
        assert info.value.outcome == "crashed" and info.value.message


reply_payloads = st.fixed_dictionaries(
    {"t": st.sampled_from(["reply", "exited", "ready", "x"])},
    optional={"ok": st.sampled_from([True, False, 1, None]), "value": st.integers(-(2**63), 2**63) | st.text(max_size=5),
              "failure": st.fixed_dictionaries({}, optional={"kind": st.sampled_from(["exception", "exit", "?"]),
                                                             "type": st.text(max_size=3), "message": st.text(max_size=3),
                                                             "frames": st.lists(st.just(FRAME.as_dict()), max_size=2)}),
              "code": st.integers(-300, 300)})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reply_payloads)
def test_well_formed_but_wrong_replies_end_as_student_results(payload):
    try:
        value = _call_with_script(READY + _framed(wire.encode(payload)))
    except StudentError as exc:
        assert exc.outcome in ("crashed", "error") and exc.message
        assert all(isinstance(f["line"], int) and isinstance(f["code"], str) for f in exc.frames)
    else:
        assert payload["t"] == "reply" and payload.get("ok") is True and value == payload["value"]


def test_an_oversized_announcement_is_refused_before_it_is_read():
    with pytest.raises(StudentError, match="too large"):
        _call_with_script(READY + struct.pack("<Q", 2**40))


def test_kill_decides_on_the_pid_namespace_step(monkeypatch):
    """Without a PID namespace the worker's process group is killed too; the decision reads the step id."""
    seen = []
    from grader.sandbox.judge_side import client

    monkeypatch.setattr(client._Worker, "kill", lambda self, group: seen.append(group))
    for steps, group in (((Step("pid_ns", True, "any text"),), False),
                         ((Step("pid_ns", False, "any text"),), True)):
        warm = ScriptedWarm(READY + _framed(Reply(value=1).encode()), steps)
        sb = Sandbox(warm, {"m.py": b""}, "m")  # type: ignore[arg-type]
        try:
            assert sb.call("grader.probe:invoke", ("f",), {}, 0) == 1
            assert sb.facts["steps"][0]["id"] == "pid_ns" and sb.facts["enforced" if not group else "not_enforced"]
        finally:
            sb.close()
            warm.reap()
        assert seen[-1] is group


def test_channel_refuses_what_it_did_not_agree_to_receive():
    a, b = socket.socketpair()
    with a, b:
        a.sendall(struct.pack("<Q", 100) + b"x" * 100)
        with pytest.raises(channel.MessageTooLarge):
            channel.recv(b, 99)
