"""The judge's side of the sandbox: the warm process, and one sandbox per submission.

Every failure of student code (exception, hang, crash, exit, runaway output or memory) comes
back as a StudentError with a plain-language message; nothing here lets it take the judge down.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grader.sandbox.protocol as protocol
from grader import wire
from grader.i18n import Msg, Text, _
from grader.sandbox import channel
from grader.sandbox.judge_side import stacks, strays
from grader.sandbox.judge_side.warm import WarmProcess
from grader.sandbox.limits import UNPRIVILEGED_UID, Limits

_SIGNALS: dict[int, Msg] = {
    signal.SIGSEGV: _("segmentation fault (a crash in native code)"),
    signal.SIGKILL: _("killed (SIGKILL): the memory limit or a kill from outside"),
    signal.SIGXCPU: _("the CPU time limit was exceeded"),
    signal.SIGABRT: _("aborted (SIGABRT)"),
    signal.SIGBUS: _("bus error (a crash in native code)"),
    signal.SIGFPE: _("floating-point exception (SIGFPE)"),
}


STOP_AFTER_TIMEOUTS = 2  # a submission whose first calls all time out stops: an infinite loop costs seconds


class SandboxError(RuntimeError):
    """The sandbox itself failed before any student code ran."""


class StudentError(Exception):
    """Student code failed during a call; `outcome` is error, timeout or crashed."""

    def __init__(self, outcome: str, message: Text, *, type_name: str = "", frames: list[dict[str, Any]] | None = None):
        super().__init__(str(message))
        self.outcome = outcome
        self.message = message
        self.type_name = type_name
        self.frames = frames or []


def _describe_exit(code: int) -> Msg:
    if code < 0:
        sig = -code
        known = {int(s): s.name for s in signal.Signals}
        what = _SIGNALS.get(sig) or _("killed by signal {signal}", signal=str(known.get(sig, sig)))
        return _("the process crashed: {what}", what=what)
    return _("the process exited with status {code} (os._exit() or a crash in native code)", code=str(code))


class _Worker:
    """A handle that kills exactly the worker it was made for, even after its PID is reused.

    The pidfd is taken while the worker is held at its start line by its supervisor, so it
    provably refers to the live worker.
    """

    def __init__(self, pid: int):
        self.pid = pid
        self._fd = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None

    def kill(self, group: bool) -> None:
        try:
            if self._fd is not None:
                signal.pidfd_send_signal(self._fd, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass  # already gone
        if group:  # without a PID namespace, the worker leads a process group of its own
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except OSError:
                pass
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@dataclass
class Sandbox:
    """One submission's sandbox: a private copy of its files and a worker, respawned after failures."""

    warm: WarmProcess
    files: dict[str, bytes]
    module: str
    device: str = "cpu"
    limits: Limits = field(default_factory=Limits)
    seed: int = 0
    shown_as: dict[str, str] = field(default_factory=dict)  # a file's name in reports, where the student named it otherwise
    cells: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)  # file made from a notebook -> (cell, line) per line

    def __post_init__(self) -> None:
        self._root = Path(tempfile.mkdtemp(prefix="grade-"))
        self.workdir = self._root / "work"
        self.workdir.mkdir()
        for rel, data in self.files.items():
            target = self.workdir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        self._io = {name: self._root / name for name in ("stdout", "stderr", "stacks")}
        for path in self._io.values():
            path.touch(mode=0o600)
        if os.getuid() == 0:
            self._root.chmod(0o711)  # the unprivileged worker may pass through, not list
            for path in [self.workdir, *self.workdir.rglob("*")]:
                os.chown(path, UNPRIVILEGED_UID, UNPRIVILEGED_UID)
        self._offsets = {name: 0 for name in self._io}
        self._stacks_seen = 0  # the end of the stack dumps already read
        self._sock: socket.socket | None = None
        self._worker: _Worker | None = None
        self.used_s = 0.0
        self.steps: tuple[protocol.Step, ...] = ()
        self.facts: dict[str, Any] = facts_for_reports(self.steps)
        self._import_failure: protocol.Failure | None = None
        self._answered = 0        # calls that came back in time (passed or not)
        self._early_timeouts = 0  # calls that timed out before any came back in time
        self._import_stuck: StudentError | None = None  # the import timed out or crashed: no restart
        self.output: dict[str, str] = {"stdout": "", "stderr": ""}

    # -- lifecycle -------------------------------------------------------------------------
    def _start(self, import_timeout: float) -> None:
        """Start the worker and import the student's module, each against a deadline of its own.

        Setting up (fork, namespaces, confinement) is the grader's work: a loaded machine may slow
        it, so it gets a generous deadline and is not charged to the submission. The import runs
        student code: it gets the import deadline, and a module that never finishes importing is
        remembered, so later calls fail at once instead of starting it again.
        """
        deadline = time.monotonic() + self.limits.start_timeout_s
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        config = protocol.SpawnConfig(
            workdir=str(self.workdir), stdout=str(self._io["stdout"]), stderr=str(self._io["stderr"]), module=self.module,
            device=self.device, seed=self.seed,
            limits={k: getattr(self.limits, k) for k in ("memory_mb", "cpu_s", "nproc", "fsize_mb", "disk_mb", "nofile")},
            stacks=str(self._io["stacks"]), import_timeout_s=float(import_timeout))
        try:
            self.warm.spawn(config, theirs.fileno())
        finally:
            theirs.close()
        self._sock = ours
        try:
            hello = self._receive(deadline, protocol.Hello)
            assert isinstance(hello, protocol.Hello)
            self._worker = _Worker(hello.pid)
            channel.send(ours, protocol.Go().encode())  # the supervisor releases the worker only now
            facts = self._receive(deadline, protocol.Facts)
            assert isinstance(facts, protocol.Facts)
        except (StudentError, OSError) as exc:  # no student code has run yet: this is the grader's failure
            self._collect_output()
            raise SandboxError(f"the sandbox failed to start ({exc}): {self.output['stderr'][-1500:]}") from None
        self.steps = facts.steps
        self.facts = facts_for_reports(self.steps)
        # From here on, the student's module has run: what arrives is only as good as its word.
        started = time.monotonic()
        try:
            ready = self._receive(started + import_timeout, protocol.Ready)
        except StudentError as exc:
            if exc.outcome == "timeout":
                exc.frames = self._hang_frames()
                exc.message = _("importing {file} did not finish within {seconds} s{where} (an infinite loop or "
                                "a long computation at the top level of the file?)",
                                file=self._shown(self.module + ".py"), seconds=f"{import_timeout:g}",
                                where=stacks.where(exc.frames))
                exc.args = (str(exc.message),)
            self._import_stuck = exc
            raise
        finally:
            self.used_s += time.monotonic() - started
        assert isinstance(ready, protocol.Ready)
        self._import_failure = ready.import_error

    @property
    def import_error(self) -> dict[str, Any] | None:
        """How the student's module failed to import, as plain data (None: it imported)."""
        return None if self._import_failure is None else self._import_failure.as_dict()

    def _receive(self, deadline: float, expect: type = protocol.Reply) -> protocol.SandboxMessage:
        """The next message, which must be an `expect`; anything else ends the sandbox as crashed."""
        assert self._sock is not None
        try:
            raw = channel.recv(self._sock, self.limits.reply_limit, deadline)
            message = protocol.from_sandbox(raw, expect, wire.BOUNDS)
        except TimeoutError:
            self.kill()
            raise StudentError("timeout", "") from None
        except channel.MessageTooLarge as exc:
            self.kill()
            raise StudentError("crashed", _("the result was too large ({size} MB; the limit is {limit} MB)",
                                            size=str(exc.args[0] // 2**20),
                                            limit=str(self.limits.reply_limit // 2**20))) from None
        except (EOFError, OSError) as exc:
            self.kill()
            raise StudentError("crashed", _("the sandbox stopped answering ({error})", error=type(exc).__name__)) from None
        except protocol.ProtocolError as exc:
            self.kill()
            raise StudentError("crashed", _("the sandbox sent something that is not an answer ({error}); did the code "
                                            "write to the grader's channel, or change the grader's code?",
                                            error=str(exc)[:200])) from None
        if isinstance(message, protocol.Exited):
            self.kill()
            raise StudentError("crashed", _describe_exit(message.code))
        return message

    def kill(self) -> None:
        """Kill the worker; in its PID namespace that ends every process it started."""
        if self._worker is not None:
            self._worker.kill(group=any(s.id == "pid_ns" and not s.enforced for s in self.steps))
        if self._sock is not None:
            self._sock.close()
        self._sock, self._worker = None, None

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self._root, ignore_errors=True)

    def import_failure(self) -> StudentError | None:
        """The error every call gets when the student's module did not import."""
        if self._import_stuck is not None:
            return StudentError(self._import_stuck.outcome, self._import_stuck.message, frames=self._import_stuck.frames)
        if self._import_failure is None:
            return None
        return _from_failure(self._import_failure, self._placed, importing=self._shown(self.module + ".py"))

    # -- calls -----------------------------------------------------------------------------
    def call(self, probe: str, args: tuple, kwargs: dict, seed: int) -> Any:
        """Run a registered probe against the submission; returns plain data or raises StudentError."""
        left = self.limits.budget_s - self.used_s
        if left <= 0:
            raise StudentError("timeout", _("not run: the time budget for this exercise ({seconds} s) is used up",
                                            seconds=f"{self.limits.budget_s:g}"))
        timeout = min(self.limits.call_timeout_s, left)
        if not self._answered and self._early_timeouts >= STOP_AFTER_TIMEOUTS:
            raise StudentError("timeout", _("not run: the first {n} calls into this submission all timed out (an "
                                            "infinite loop?), so its remaining checks were stopped early",
                                            n=str(self._early_timeouts)))
        failure = self.import_failure()
        if failure is not None:
            raise failure
        if self._sock is None:
            try:
                self._start(min(self.limits.import_timeout, left))
                failure = self.import_failure()
            except BaseException:
                self._collect_output()
                raise
            if failure is not None:
                self._collect_output()
                raise failure  # otherwise what the import printed is collected with the call's output
        start = time.monotonic()
        deadline = start + timeout
        self._stacks_seen = stacks.read_dump(str(self._io["stacks"]), self._stacks_seen)[1]
        try:
            assert self._sock is not None
            try:
                channel.send(self._sock, protocol.Call(probe, tuple(args), kwargs, seed, float(timeout)).encode())
            except OSError:
                self.kill()
                raise StudentError("crashed", _("the sandbox stopped answering")) from None
            reply = self._receive(deadline)
            strays.kill_strays(self._worker.pid) if self._worker else None  # nothing it started lives on
        except StudentError as exc:
            if exc.outcome == "timeout" and not exc.message:
                exc.frames = self._hang_frames()
                exc.message = _("did not finish within {seconds} s{where} (an infinite loop, or far too slow)",
                                seconds=f"{timeout:g}", where=stacks.where(exc.frames))
                exc.args = (str(exc.message),)
            if exc.outcome == "timeout" and not self._answered:
                self._early_timeouts += 1
            raise
        finally:
            self.used_s += time.monotonic() - start
            self._collect_output()
        assert isinstance(reply, protocol.Reply)
        self._answered += 1
        if reply.failure is None:
            return reply.value
        raise _from_failure(reply.failure, self._placed)

    def _shown(self, name: str) -> str:
        """A file's name as the student knows it (graded with -e 02, my_swish.py is the sandbox's swish.py)."""
        return self.shown_as.get(name, name)

    def _placed(self, frame: dict[str, Any]) -> dict[str, Any]:
        """A frame as the student finds it: their file's name, and in a notebook the cell and its line.

        The line map is the judge's own (made by discovery); the sandbox sends only the extracted file's line.
        """
        lines = self.cells.get(frame["file"])
        placed = dict(frame, file=self._shown(frame["file"]))
        line = frame.get("line")
        if lines and isinstance(line, int) and 1 <= line <= len(lines) and lines[line - 1][1] > 0:
            placed["cell"], placed["line"] = lines[line - 1]
        return placed

    def _hang_frames(self) -> list[dict[str, Any]]:
        """Where the student's code was when the deadline came (the worker's last stack dump)."""
        dump, self._stacks_seen = stacks.read_dump(str(self._io["stacks"]), self._stacks_seen)
        frames = stacks.student_frames(dump, str(self.workdir), self.files)
        return [self._placed(f) for f in frames]

    def _collect_output(self) -> None:
        for name in ("stdout", "stderr"):
            path = self._io[name]
            with open(path, "rb") as f:
                f.seek(self._offsets[name])
                data = f.read(self.limits.output_cap + 1)
                self._offsets[name] = f.seek(0, os.SEEK_END)
            text = data[: self.limits.output_cap].decode(errors="replace")
            if len(data) > self.limits.output_cap:
                text += f"\n… (output cut at {self.limits.output_cap // 1024} KB)"
            self.output[name] = text


def facts_for_reports(steps: tuple[protocol.Step, ...]) -> dict[str, Any]:
    """What reports show of the confinement: texts of enforced and missing steps, and the steps themselves."""
    return {"enforced": [s.text for s in steps if s.enforced], "not_enforced": [s.text for s in steps if not s.enforced],
            "steps": [{"id": s.id, "enforced": s.enforced, "text": s.text} for s in steps]}


def _from_failure(failure: protocol.Failure, placed: Callable[[dict[str, Any]], dict[str, Any]],
                  importing: str | None = None) -> StudentError:
    """The StudentError for a failure of student code (its fields are validated and bounded).

    `placed` puts a frame where the student knows it (file name, notebook cell); `importing`: the file whose import failed.
    """
    kind, type_name, message = failure.kind, failure.type, failure.message
    text: Text
    if kind == "not_implemented":
        text = _("not implemented yet ({message})", message=message) if message else _("not implemented yet")
    elif kind == "exit":
        text = _("{message}: student code must not exit the process", message=message)
    elif importing:
        text = _("could not import {file}: {error}: {message}", file=importing, error=type_name, message=message)
    else:
        text = _("{error}: {message}", error=type_name, message=message) if message else _("{error}", error=type_name)
        if "can't allocate memory" in message or type_name == "MemoryError":
            text = _("{error} (the memory limit was reached)", error=text)
        if "File too large" in message:
            text = _("{error} (the output or file-size limit was reached)", error=text)
        if "No space left on device" in message:
            text = _("{error} (the submission's disk limit was reached)", error=text)
    return StudentError("error", text, type_name=type_name,
                        frames=[placed(f.as_dict()) for f in failure.frames])
