"""The sandboxed worker: confine itself, import the student's module, answer probe calls.

Runs in a child forked from the warm process. It talks to the judge only through wire messages
on one socket, and everything it sends is plain data.
"""

from __future__ import annotations

import collections
import faulthandler
import importlib
import linecache
import os
import signal
import socket
import sys
import traceback
from typing import Any

import torch

import grader.sandbox.protocol as protocol
from grader import probe as probe_api
from grader import wire
from grader.sandbox import channel
from grader.sandbox.child_side import confine, fsroot, landlock, seccomp
from grader.sandbox.protocol import Step

REQUEST_LIMIT = 1 << 30


def student_frames(tb: Any, workdir: str) -> list[dict[str, Any]]:
    """The innermost traceback frames from the student's own files (never the grader's or torch's).

    Lines are read and cut one frame at a time: a deep recursion through a huge line must not
    build a gigabyte of text first.
    """
    kept: collections.deque[tuple[str, int, str]] = collections.deque(maxlen=protocol.MAX_FRAMES)
    for frame, lineno in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if filename.startswith(workdir + os.sep):
            kept.append((filename, lineno or 0, frame.f_code.co_name))
    cut = protocol.MAX_FRAME_FIELD
    return [{"file": protocol.cut(os.path.relpath(filename, workdir), cut), "line": lineno,
             "function": protocol.cut(name, cut), "code": protocol.cut(linecache.getline(filename, lineno).strip(), cut)}
            for filename, lineno, name in kept]


def _safe_str(exc: BaseException) -> str:
    try:
        return protocol.cut(str(exc), protocol.MAX_MESSAGE)
    except Exception:
        return "<exception message could not be printed>"


def describe_exception(exc: BaseException, workdir: str) -> protocol.Failure:
    """The failure message for an exception of student code, cut to the protocol's bounds."""
    kind, message, frames = "exception", _safe_str(exc), student_frames(exc.__traceback__, workdir)
    if isinstance(exc, SystemExit):
        kind, message = "exit", f"called sys.exit({_safe_repr(exc.code)})"
    elif isinstance(exc, NotImplementedError):
        kind = "not_implemented"
    elif isinstance(exc, SyntaxError) and isinstance(exc.filename, str) and exc.filename.startswith(workdir):
        message = protocol.cut(str(exc.msg), protocol.MAX_MESSAGE)  # str(exc) names the sandbox's file; the frame says file and line
        frames = [{"file": os.path.relpath(exc.filename, workdir), "line": exc.lineno or 0,
                   "function": "<module>", "code": str(exc.text or "").strip()}]
    return protocol.failure(kind, type(exc).__name__, message, frames)


def _safe_repr(value: Any) -> str:
    try:
        return protocol.cut(repr(value), 200)
    except Exception:
        return "<unprintable>"


def confine_self(config: dict[str, Any]) -> list[Step]:
    """Apply every confinement step the machine allows; one Step per step id, enforced or not."""
    steps: list[Step] = list(config.get("steps", []))
    workdir, device, lim = config["workdir"], config["device"], config["limits"]
    is_root = config.get("host_root", False)  # root of the machine, not of a user namespace
    in_ns = config.get("in_namespaces", False)
    uid = config.get("sandbox_uid", confine.UNPRIVILEGED_UID)
    owner = uid if is_root else None
    read, write = confine.readable_system_paths(device)
    python = confine.python_paths()
    if in_ns:
        steps += _fresh_root(workdir, lim["disk_mb"], owner, read, write, is_root, uid)
    else:
        steps += [Step(i, False, f"{t}: no namespaces") for i, t in
                  (("fs_root", "a fresh root built from an allow-list"), ("proc", "a /proc of its own"),
                   ("disk", "disk limit (own tmpfs)"), ("tmp", "a private /tmp"))]
    try:
        done = confine.set_limits(lim["memory_mb"], lim["cpu_s"], lim["nproc"] + config.get("user_processes", 0),
                                  lim["fsize_mb"], lim["nofile"], not device.startswith("cuda"))
        steps += [Step(i, True, t) for i, t in done]
    except (OSError, ValueError) as exc:
        steps.append(Step("rlimits", False, f"some resource limits ({exc})"))
    if device.startswith("cuda"):
        steps.append(Step("memory", False, "memory limit (address-space limits break CUDA)"))
    steps.append(Step("devices", True, "device nodes: " + ", ".join(p for p in write if os.path.exists(p))))
    try:
        steps += [Step(i, True, t) for i, t in landlock.restrict(read + python, write + [workdir] + (["/tmp"] if _has_fresh_root(steps) else []))]
    except OSError as exc:
        steps += [Step(i, False, f"{t} (Landlock unavailable: {exc})") for i, t in landlock.STEPS]
    else:
        abi = landlock.abi_version()
        steps += [Step(i, False, f"{t} (Landlock ABI {abi} is too old)") for i, t in landlock.STEPS
                  if i not in {s.id for s in steps}]
    if is_root:
        steps.append(confine.drop_privileges(uid))
    confine.die_with_parent()
    steps.append(Step("parent_death", True, "dies with its supervisor"))
    confine.scrub_environment(workdir)
    steps.append(Step("env", True, "scrubbed environment"))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # as PID 1, reap orphans: no zombies pile up
    try:
        steps.append(Step("seccomp", True, seccomp.install()))
    except OSError as exc:
        steps.append(Step("seccomp", False, f"seccomp filter ({exc})"))
    return steps


def _fresh_root(workdir: str, disk_mb: int, owner: int | None, read: list[str], write: list[str],
                is_root: bool, uid: int) -> list[Step]:
    """The allow-listed root, or the older piecewise mounts when the machine refuses it."""
    read_only = [p for p in read if p != "/proc"] + confine.python_bind_paths()
    try:
        fsroot.build(workdir=workdir, disk_mb=disk_mb, owner=owner, read_only=read_only, devices=write,
                     hide=confine.grader_dirs())
    except OSError as exc:
        hidden = ""
        if is_root:  # the unprivileged uid must still reach Python when it lives under e.g. /root
            try:
                confine.expose_python(uid)
                hidden = "; private folders such as /root are hidden instead"
            except OSError as exc2:
                hidden = f"; hiding private folders failed too ({exc2})"
        steps = [Step("fs_root", False, f"a fresh root built from an allow-list ({exc}){hidden}"),
                 Step("tmp", False, "a private /tmp (no fresh root)")]
        for sid, what, step in (
                ("proc", "/proc shows only the sandbox's own processes", confine.mount_proc),
                ("disk", f"disk: its folder holds at most {disk_mb} MB (own tmpfs)",
                 lambda: confine.private_workdir(workdir, disk_mb, owner))):
            try:
                step()
                steps.append(Step(sid, True, what))
            except OSError as exc2:
                steps.append(Step(sid, False, f"{what}: {exc2}"))
        return steps
    return [Step("fs_root", True, "files: a fresh root holding only Python, its libraries and the submission's "
                 "folder; nothing else of the machine is visible"),
            Step("proc", True, "/proc shows only the sandbox's own processes"),
            Step("disk", True, f"disk: its folder holds at most {disk_mb} MB (own tmpfs)"),
            Step("tmp", True, f"a private /tmp of {fsroot.TMP_MB} MB")]


def _has_fresh_root(steps: list[Step]) -> bool:
    return any(s.id == "fs_root" and s.enforced for s in steps)


def serve(sock: socket.socket, config: dict[str, Any]) -> None:
    """Main loop of the worker; never returns."""
    workdir = config["workdir"]
    out = os.open(config["stdout"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    err = os.open(config["stderr"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(out, 1)
    os.dup2(err, 2)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    for fd in (out, err, null):
        os.close(fd)
    stacks = _open_stacks(config.get("stacks", ""))
    if not config.get("in_namespaces"):
        os.setpgid(0, 0)  # a group of its own, so that the judge can kill what it starts
    steps = tuple(confine_self(config))
    os.chdir(workdir)
    sys.path[:] = [workdir] + [p for p in sys.path if p and os.path.isdir(p)]
    torch.set_num_threads(1)
    device = torch.device(config["device"])
    channel.send(sock, protocol.Facts(steps).encode())  # before any student code: cannot be forged
    module, import_error = None, None
    try:
        probe_api.seed_all(config.get("seed", 0))
        _arm(stacks, config.get("import_timeout_s", 0.0))
        module = importlib.import_module(config["module"])
    except BaseException as exc:
        import_error = describe_exception(exc, workdir)
    finally:
        _disarm(stacks)
        _flush()
    channel.send(sock, protocol.Ready(import_error).encode())
    while True:
        try:
            request = protocol.Call.decode(channel.recv(sock, REQUEST_LIMIT))
        except EOFError:
            os._exit(0)
        _arm(stacks, request.timeout_s)
        try:
            reply = _answer(request, module, import_error, device, workdir)
        finally:
            _disarm(stacks)
        channel.send(sock, reply)


def dump_delay(timeout_s: float) -> float:
    """When to dump the stack for a deadline of `timeout_s`: shortly before it, so the judge finds it."""
    return timeout_s - min(1.0, 0.25 * timeout_s)


def _open_stacks(path: str) -> int | None:
    """The file the stack dumps go to, opened before confinement (the judge reads it after a timeout)."""
    if not path:
        return None
    try:
        return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError:
        return None


def _arm(stacks: int | None, timeout_s: float) -> None:
    """Dump every thread's stack just before the judge's deadline: a hang then says where it was."""
    if stacks is None or timeout_s <= 0:
        return
    try:
        faulthandler.dump_traceback_later(dump_delay(timeout_s), exit=False, file=stacks)
    except (OSError, RuntimeError, ValueError):
        pass  # no watchdog thread (process limit): the timeout is reported without a place


def _disarm(stacks: int | None) -> None:
    if stacks is not None:
        faulthandler.cancel_dump_traceback_later()


def _answer(request: protocol.Call, module: Any, import_error: protocol.Failure | None, device: torch.device,
            workdir: str) -> bytes:
    """The encoded Reply to one call: the probe's value, or how the student's code failed."""
    if import_error is not None:
        return protocol.Reply(failure=import_error).encode()
    try:
        fn = probe_api.lookup(request.probe)
        probe_api.seed_all(request.seed)
        value = fn(probe_api.Subject(module, device), *request.args, **request.kwargs)
        reply = protocol.Reply(value=value).encode()
    except wire.WireError as exc:
        reply = protocol.Reply(failure=protocol.failure("unsupported", "TypeError", str(exc))).encode()
    except BaseException as exc:
        reply = protocol.Reply(failure=describe_exception(exc, workdir)).encode()
    finally:
        _flush()
    return reply


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
