"""The sandboxed worker: confine itself, import the student's module, answer probe calls.

Runs in a child forked from the warm process. It talks to the judge only through wire messages
on one socket, and everything it sends is plain data.
"""

from __future__ import annotations

import importlib
import os
import socket
import sys
import traceback
from typing import Any

import torch

from grader import probe as probe_api
from grader import wire
from grader.sandbox import channel
from grader.sandbox.child_side import confine, landlock

REQUEST_LIMIT = 1 << 30


def student_frames(tb: Any, workdir: str) -> list[dict[str, Any]]:
    """Traceback frames from the student's own files only (never the grader's or torch's)."""
    frames = []
    for fr in traceback.extract_tb(tb):
        if fr.filename.startswith(workdir + os.sep):
            frames.append({"file": os.path.relpath(fr.filename, workdir), "line": fr.lineno,
                           "function": fr.name, "code": (fr.line or "").strip()})
    return frames


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)[:4000]
    except Exception:
        return "<exception message could not be printed>"


def describe_exception(exc: BaseException, workdir: str) -> dict[str, Any]:
    info: dict[str, Any] = {"ok": False, "kind": "exception", "type": type(exc).__name__,
                            "message": _safe_str(exc), "frames": student_frames(exc.__traceback__, workdir)}
    if isinstance(exc, SystemExit):
        info["kind"] = "exit"
        info["message"] = f"called sys.exit({exc.code!r})"
    elif isinstance(exc, NotImplementedError):
        info["kind"] = "not_implemented"
    elif isinstance(exc, SyntaxError) and exc.filename and exc.filename.startswith(workdir):
        info["frames"] = [{"file": os.path.relpath(exc.filename, workdir), "line": exc.lineno or 0,
                           "function": "<module>", "code": (exc.text or "").strip()}]
    return info


def confine_self(config: dict[str, Any]) -> dict[str, list[str]]:
    """Apply every confinement step the machine allows; record the ones it does not."""
    facts: dict[str, list[str]] = {"enforced": list(config.get("enforced", [])), "not_enforced": list(config.get("not_enforced", []))}
    workdir, device, lim = config["workdir"], config["device"], config["limits"]
    is_root = config.get("host_root", False)  # root of the machine, not of a user namespace
    in_ns = config.get("in_namespaces", False)
    steps = []
    if in_ns:
        steps.append(("/proc shows only the sandbox's own processes", confine.mount_proc))
    if is_root and in_ns:
        steps.append(("private folders such as /root hidden (own mount namespace)",
                      lambda: confine.expose_python(confine.UNPRIVILEGED_UID)))
    if in_ns:
        owner = confine.UNPRIVILEGED_UID if is_root else None
        steps.append((f"disk: its folder holds at most {lim['disk_mb']} MB (own tmpfs)",
                      lambda: confine.private_workdir(workdir, lim["disk_mb"], owner)))
    for what, step in steps:
        try:
            step()
            facts["enforced"].append(what)
        except OSError as exc:
            facts["not_enforced"].append(f"{what}: {exc}")
    try:
        facts["enforced"] += confine.set_limits(lim["memory_mb"], lim["cpu_s"], lim["nproc"] + config.get("user_processes", 0),
                                                lim["fsize_mb"], lim["nofile"], not device.startswith("cuda"))
    except (OSError, ValueError) as exc:
        facts["not_enforced"].append(f"some resource limits ({exc})")
    if device.startswith("cuda"):
        facts["not_enforced"].append("memory limit (address-space limits break CUDA)")
    read, write = confine.readable_system_paths(device)
    try:
        facts["enforced"] += landlock.restrict(read + confine.python_paths(), write + [workdir])
    except OSError as exc:
        facts["not_enforced"].append(f"filesystem and TCP restrictions (Landlock unavailable: {exc})")
    if is_root:
        facts["enforced"] += confine.drop_privileges()
    confine.die_with_parent()
    confine.scrub_environment(workdir)
    facts["enforced"].append("scrubbed environment")
    return facts


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
    if not config.get("in_namespaces"):
        os.setpgid(0, 0)  # a group of its own, so that the judge can kill what it starts
    facts = confine_self(config)
    os.chdir(workdir)
    sys.path[:] = [workdir] + [p for p in sys.path if p and os.path.isdir(p)]
    torch.set_num_threads(1)
    device = torch.device(config["device"])
    channel.send(sock, wire.encode({"facts": facts}))  # before any student code runs, so it cannot be forged
    module, import_error = None, None
    try:
        probe_api.seed_all(config.get("seed", 0))
        module = importlib.import_module(config["module"])
    except BaseException as exc:
        import_error = describe_exception(exc, workdir)
    finally:
        _flush()
    channel.send(sock, wire.encode({"ready": True, "import_error": import_error}))
    while True:
        try:
            request = wire.decode(channel.recv(sock, REQUEST_LIMIT))
        except EOFError:
            os._exit(0)
        channel.send(sock, _answer(request, module, import_error, device, workdir))


def _answer(request: dict[str, Any], module: Any, import_error: Any, device: torch.device, workdir: str) -> bytes:
    if import_error is not None:
        return wire.encode(import_error)
    try:
        fn = probe_api.lookup(request["probe"])
        probe_api.seed_all(request["seed"])
        value = fn(probe_api.Subject(module, device), *request["args"], **request["kwargs"])
        reply = wire.encode({"ok": True, "value": value})
    except wire.WireError as exc:
        reply = wire.encode({"ok": False, "kind": "unsupported", "type": "TypeError", "message": str(exc), "frames": []})
    except BaseException as exc:
        reply = wire.encode(describe_exception(exc, workdir))
    finally:
        _flush()
    return reply


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
