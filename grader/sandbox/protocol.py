"""The sandbox protocol: every message between the judge and a sandbox, as tagged plain data.

One frozen dataclass per message, each with `encode()`. The judge reads the sandbox's messages
with ONE validating decoder, `from_sandbox()`, which checks every field's type and bounds and
raises ProtocolError on anything else: a reply is hostile input (the student's code shares the
worker's process and socket), and a broken reply ends as that submission's crashed result.
The judge decides on ids and numbers only, never on display text.

    judge -> warm process   SpawnConfig                 (JSON, with the socket's fd)
    warm process -> judge   WarmReady, Spawned
    supervisor -> judge     Hello, then Exited when the worker is gone
    judge -> supervisor     Go (the worker may run: the judge holds a pidfd of it)
    worker -> judge         Facts (before any student code), Ready, then one Reply per Call
    judge -> worker         Call

Socket messages are wire messages (`grader.wire`) of a dict tagged by "t". This module imports
torch only when a socket message is encoded or decoded, so the warm process's handle stays light.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# Ids of confinement steps. A report shows `text`; code decides on `id` and `enforced` only.
STEP_IDS = (
    "user_ns",        # a user namespace (normal user) or the machine's root
    "pid_ns",         # PID namespace: the worker is PID 1, everything it starts dies with it
    "net_ns",         # empty network namespace
    "ipc_ns",         # private SysV IPC and POSIX message queues
    "uts_ns",         # private host name
    "mount_ns",       # private mount namespace
    "fs_root",        # a fresh root built from an allow-list (pivot_root)
    "proc",           # /proc of its own PID namespace
    "disk",           # the submission's folder on a small tmpfs of its own
    "tmp",            # a private /tmp
    "landlock_fs",    # Landlock file-system rules
    "landlock_net",   # Landlock TCP bind/connect denied
    "landlock_scope", # Landlock: abstract Unix sockets and signals outside denied
    "seccomp",        # seccomp filter: no new sockets, no dangerous system calls
    "uid",            # an unprivileged uid
    "memory",         # address-space limit
    "rlimits",        # CPU, file size, open files, core dumps
    "nproc",          # process/thread limit
    "env",            # scrubbed environment
    "parent_death",   # dies with its parent
    "devices",        # device nodes granted (CUDA)
)

# Bounds of what the judge accepts; the worker cuts its own messages to fit them.
MAX_STEPS = 64
MAX_STEP_TEXT = 500
MAX_MESSAGE = 4000        # an exception's message
MAX_TYPE = 200            # an exception's type name
MAX_FRAMES = 50           # traceback frames (the innermost are kept)
MAX_FRAME_FIELD = 300     # a frame's file, function or code line
MAX_PID = 2**22           # Linux's pid_max ceiling
FAILURE_KINDS = ("exception", "not_implemented", "exit", "unsupported")


class ProtocolError(Exception):
    """A message broke the protocol: malformed, unexpected here, or out of bounds."""


@dataclass(frozen=True)
class Step:
    """One confinement step: whether it was enforced on this run, and what to tell a person."""

    id: str
    enforced: bool
    text: str


# -- the warm process's control socket (JSON; the judge and the warm process trust each other) --
@dataclass(frozen=True)
class SpawnConfig:
    """What a new sandbox needs: its files, its module, its device and seed, its limits."""

    workdir: str
    stdout: str
    stderr: str
    module: str
    device: str
    seed: int
    limits: dict[str, int] = field(default_factory=dict)  # memory_mb cpu_s nproc fsize_mb disk_mb nofile
    stacks: str = ""            # where the worker dumps its stacks just before a deadline ("": nowhere)
    import_timeout_s: float = 0.0  # the import's deadline, so that a hang there says where (0: none)

    def encode(self) -> bytes:
        return json.dumps({"t": "spawn", **self.as_config()}).encode()

    def as_config(self) -> dict[str, Any]:
        """The plain dict the supervisor and worker read (and extend with facts of the machine)."""
        return {"workdir": self.workdir, "stdout": self.stdout, "stderr": self.stderr, "module": self.module,
                "device": self.device, "seed": self.seed, "limits": dict(self.limits), "stacks": self.stacks,
                "import_timeout_s": float(self.import_timeout_s)}

    @classmethod
    def decode(cls, data: bytes) -> SpawnConfig:
        d = _tagged(json.loads(data), "spawn")
        limits = d.get("limits")
        if not (isinstance(limits, dict) and all(isinstance(k, str) and _is_int(v) for k, v in limits.items())):
            raise ProtocolError("malformed limits")
        return cls(_str(d, "workdir", 4096), _str(d, "stdout", 4096), _str(d, "stderr", 4096), _str(d, "module", 200),
                   _str(d, "device", 50), _int(d, "seed", 0, 2**63), limits, _str(d, "stacks", 4096),
                   _seconds(d, "import_timeout_s"))


@dataclass(frozen=True)
class WarmReady:
    """The warm process has imported torch and the probes."""

    def encode(self) -> bytes:
        return b'{"t":"warm_ready"}'


@dataclass(frozen=True)
class Spawned:
    """The warm process forked a supervisor."""

    pid: int

    def encode(self) -> bytes:
        return json.dumps({"t": "spawned", "pid": self.pid}).encode()


def from_warm(data: bytes) -> WarmReady | Spawned:
    """A message of the warm process (started clean, before any student code: trusted, still checked)."""
    try:
        d = json.loads(data)
        if isinstance(d, dict) and d.get("t") == "warm_ready":
            return WarmReady()
        return Spawned(_int(_tagged(d, "spawned"), "pid", 1, MAX_PID))
    except ValueError as exc:
        raise ProtocolError(f"malformed message from the warm process ({exc})") from None


# -- the sandbox's socket (wire messages) ----------------------------------------------------
@dataclass(frozen=True)
class Frame:
    """One traceback frame in the student's own files."""

    file: str
    line: int
    function: str
    code: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "function": self.function, "code": self.code}


@dataclass(frozen=True)
class Failure:
    """Student code raised: what kind of failure, the exception's type and message, where."""

    kind: str
    type: str
    message: str
    frames: tuple[Frame, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "type": self.type, "message": self.message,
                "frames": [f.as_dict() for f in self.frames]}


@dataclass(frozen=True)
class Hello:
    """The supervisor forked the worker, which waits for Go."""

    pid: int
    supervisor: int

    def encode(self) -> bytes:
        return _wire_encode({"t": "hello", "pid": self.pid, "supervisor": self.supervisor})


@dataclass(frozen=True)
class Go:
    """The judge holds a pidfd of the worker: it may run."""

    def encode(self) -> bytes:
        return b"go"


@dataclass(frozen=True)
class Facts:
    """The confinement steps, sent before any student code runs (so they cannot be forged)."""

    steps: tuple[Step, ...]

    def encode(self) -> bytes:
        return _wire_encode({"t": "facts", "steps": [[s.id, s.enforced, cut(s.text, MAX_STEP_TEXT)]
                                                     for s in self.steps[:MAX_STEPS]]})


@dataclass(frozen=True)
class Ready:
    """The student's module was imported, or failed to import (`import_error`)."""

    import_error: Failure | None

    def encode(self) -> bytes:
        return _wire_encode({"t": "ready", "import_error": _failure_dict(self.import_error)})


@dataclass(frozen=True)
class Call:
    """Run a registered probe with these arguments, seeded, within `timeout_s` (0: no stack dump)."""

    probe: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    seed: int
    timeout_s: float = 0.0  # the judge's deadline for this call: the worker dumps its stack just before it

    def encode(self) -> bytes:
        return _wire_encode({"t": "call", "probe": self.probe, "args": list(self.args), "kwargs": self.kwargs,
                             "seed": self.seed, "timeout_s": float(self.timeout_s)})

    @classmethod
    def decode(cls, data: bytes | bytearray) -> Call:
        """The worker's side: the judge is trusted, the form is still checked."""
        from grader import wire

        try:
            d = _tagged(wire.decode(data, wire.Bounds(header_bytes=2**30, values=10**8, string_chars=2**30)), "call")
        except wire.WireError as exc:
            raise ProtocolError(str(exc)) from None
        args, kwargs = d.get("args"), d.get("kwargs")
        if not (isinstance(args, list) and isinstance(kwargs, dict)):
            raise ProtocolError("malformed call")
        return cls(_str(d, "probe", 500), tuple(args), kwargs, _int(d, "seed", 0, 2**63), _seconds(d, "timeout_s"))


@dataclass(frozen=True)
class Reply:
    """A probe's answer: its value, or the failure of the student's code."""

    value: Any = None
    failure: Failure | None = None

    def encode(self) -> bytes:
        if self.failure is not None:
            return _wire_encode({"t": "reply", "ok": False, "failure": _failure_dict(self.failure)})
        return _wire_encode({"t": "reply", "ok": True, "value": self.value})


@dataclass(frozen=True)
class Exited:
    """The worker is gone: its exit code (negative: the signal that ended it)."""

    code: int

    def encode(self) -> bytes:
        return _wire_encode({"t": "exited", "code": self.code})


SandboxMessage = Hello | Facts | Ready | Reply | Exited


def from_sandbox(data: bytes | bytearray, expect: type, bounds: Any = None) -> SandboxMessage:
    """The one decoder of what a sandbox sends: `expect`, or Exited (which may come at any time).

    Raises ProtocolError for anything that is not exactly such a message within the bounds
    (`bounds`: a wire.Bounds for the whole message, wire.BOUNDS if None).
    """
    from grader import wire

    try:
        d = wire.decode(data, bounds or wire.BOUNDS)
    except wire.WireError as exc:
        raise ProtocolError(str(exc)) from None
    if not isinstance(d, dict) or not isinstance(d.get("t"), str):
        raise ProtocolError("not a tagged message")
    tag = d["t"]
    if tag == "exited":
        _keys(d, "t", "code")
        return Exited(_int(d, "code", -128, 255))
    wanted = _TAGS.get(expect)
    if tag != wanted:
        raise ProtocolError(f"a {tag[:20]!r} message where {wanted!r} was due")
    if expect is Hello:
        _keys(d, "t", "pid", "supervisor")
        return Hello(_int(d, "pid", 1, MAX_PID), _int(d, "supervisor", 1, MAX_PID))
    if expect is Facts:
        _keys(d, "t", "steps")
        return Facts(_steps(d.get("steps")))
    if expect is Ready:
        _keys(d, "t", "import_error")
        return Ready(None if d["import_error"] is None else _failure(d["import_error"]))
    if expect is Reply:
        if d.get("ok") is True:
            _keys(d, "t", "ok", "value")
            return Reply(value=d["value"])
        if d.get("ok") is False:
            _keys(d, "t", "ok", "failure")
            return Reply(failure=_failure(d["failure"]))
        raise ProtocolError("a reply that is neither a value nor a failure")
    raise ProtocolError(f"no decoder for {expect!r}")  # a bug of the caller, reported as the sandbox's


_TAGS: dict[type, str] = {Hello: "hello", Facts: "facts", Ready: "ready", Reply: "reply"}


# -- helpers ------------------------------------------------------------------------------------
def _wire_encode(d: dict[str, Any]) -> bytes:
    from grader import wire

    return wire.encode(d)


def _failure_dict(f: Failure | None) -> dict[str, Any] | None:
    return None if f is None else f.as_dict()


def _is_int(v: Any) -> bool:
    return type(v) is int


def _tagged(d: Any, tag: str) -> dict[str, Any]:
    if not isinstance(d, dict) or d.get("t") != tag:
        raise ProtocolError(f"expected a {tag!r} message")
    return d


def _keys(d: dict[str, Any], *keys: str) -> None:
    if set(d) != set(keys):
        raise ProtocolError(f"fields {sorted(map(str, d))[:10]}, expected {sorted(keys)}")


def _str(d: dict[str, Any], key: str, limit: int) -> str:
    v = d.get(key)
    if not isinstance(v, str) or len(v) > limit:
        raise ProtocolError(f"field {key!r}: expected a string of at most {limit} characters")
    return v


def _int(d: dict[str, Any], key: str, lo: int, hi: int) -> int:
    v = d.get(key)
    if type(v) is not int or not lo <= v <= hi:
        raise ProtocolError(f"field {key!r}: expected an integer in [{lo}, {hi}]")
    return v


MAX_SECONDS = 10.0**6


def _seconds(d: dict[str, Any], key: str) -> float:
    """A duration in seconds: a finite float in [0, MAX_SECONDS] (0: none)."""
    v = d.get(key)
    if type(v) is not float or not 0.0 <= v <= MAX_SECONDS:  # NaN fails the comparison too
        raise ProtocolError(f"field {key!r}: expected seconds in [0, {MAX_SECONDS:g}]")
    return v


def _steps(raw: Any) -> tuple[Step, ...]:
    if not isinstance(raw, list) or len(raw) > MAX_STEPS:
        raise ProtocolError("malformed facts")
    steps = []
    for s in raw:
        if not (isinstance(s, list) and len(s) == 3 and s[0] in STEP_IDS and isinstance(s[1], bool)
                and isinstance(s[2], str) and len(s[2]) <= MAX_STEP_TEXT):
            raise ProtocolError("malformed confinement step")
        steps.append(Step(s[0], s[1], s[2]))
    return tuple(steps)


def _failure(raw: Any) -> Failure:
    if not isinstance(raw, dict):
        raise ProtocolError("malformed failure")
    _keys(raw, "kind", "type", "message", "frames")
    if raw["kind"] not in FAILURE_KINDS:
        raise ProtocolError("a failure of an unknown kind")
    frames = raw["frames"]
    if not isinstance(frames, list) or len(frames) > MAX_FRAMES:
        raise ProtocolError(f"failure: frames must be a list of at most {MAX_FRAMES}")
    return Failure(raw["kind"], _str(raw, "type", MAX_TYPE), _str(raw, "message", MAX_MESSAGE),
                   tuple(_frame(f) for f in frames))


def _frame(raw: Any) -> Frame:
    if not isinstance(raw, dict):
        raise ProtocolError("malformed frame")
    _keys(raw, "file", "line", "function", "code")
    return Frame(_str(raw, "file", MAX_FRAME_FIELD), _int(raw, "line", 0, 10**9),
                 _str(raw, "function", MAX_FRAME_FIELD), _str(raw, "code", MAX_FRAME_FIELD))


def cut(text: str, limit: int) -> str:
    """`text` within `limit` characters (the sending side's way to stay inside the bounds)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def failure(kind: str, type_name: str, message: str, frames: list[dict[str, Any]] | tuple[Frame, ...] = ()) -> Failure:
    """A Failure cut to the bounds the judge accepts; frames as Frame or as plain dicts."""
    fs = [f if isinstance(f, Frame) else Frame(str(f.get("file", "?")), int(f.get("line") or 0),
                                               str(f.get("function", "")), str(f.get("code", ""))) for f in frames]
    fs = fs[-MAX_FRAMES:]  # the innermost frames say where it went wrong
    return Failure(kind if kind in FAILURE_KINDS else "exception", cut(type_name, MAX_TYPE), cut(message, MAX_MESSAGE),
                   tuple(Frame(cut(f.file, MAX_FRAME_FIELD), max(0, min(f.line, 10**9)), cut(f.function, MAX_FRAME_FIELD),
                               cut(f.code, MAX_FRAME_FIELD)) for f in fs))
