"""The warm process's handle in the judge: start it early, spawn sandboxes from it.

Imports nothing heavy, so the CLI can start the warm process before the judge itself imports
torch: the two imports then overlap.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from grader.sandbox import protocol


def _clean_env() -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONNOUSERSITE": "1", "PYTHONDONTWRITEBYTECODE": "1",
           "OMP_NUM_THREADS": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    for key in ("CUDA_VISIBLE_DEVICES", "VIRTUAL_ENV"):
        if key in os.environ:
            env[key] = os.environ[key]
    return env


class WarmProcess:
    """A clean interpreter with torch and the probes imported; forks sandboxes on request."""

    def __init__(self, warmups: tuple[str, ...] = ()) -> None:
        self._log = tempfile.TemporaryFile()
        self._warmups = tuple(warmups)  # done before the first sandbox (see grader.warmup)
        self._launch()

    def _launch(self) -> None:
        self._ctl, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "grader.sandbox.child_side.zygote", str(theirs.fileno()), *self._warmups],
            pass_fds=[theirs.fileno()], env=_clean_env(), stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=self._log, cwd="/",
        )
        theirs.close()
        self._ready = False

    @property
    def pid(self) -> int:
        return self._proc.pid

    def wait_ready(self, timeout: float = 120.0) -> None:
        if self._ready:
            return
        self._ctl.settimeout(timeout)
        try:
            msg = self._ctl.recv(1 << 16)
        except TimeoutError:
            msg = b""
        if not msg or not isinstance(_from_warm(msg), protocol.WarmReady):
            self._log.seek(0)
            raise RuntimeError("the sandbox's warm process failed to start:\n" + self._log.read().decode(errors="replace")[-2000:])
        self._ready = True

    def spawn(self, config: protocol.SpawnConfig, fd: int) -> int:
        """Fork a sandbox serving on `fd`; a warm process that died is started again once."""
        for attempt in (1, 2):
            try:
                self.wait_ready()
                self._ctl.settimeout(30)
                socket.send_fds(self._ctl, [config.encode()], [fd])
                reply = _from_warm(self._ctl.recv(1 << 16))
                if isinstance(reply, protocol.Spawned):
                    return reply.pid
                raise OSError("the warm process did not spawn")
            except OSError:
                if attempt == 2:
                    raise RuntimeError("the sandbox's warm process stopped answering") from None
                self.close()
                self._launch()
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Stop at once: the warm process holds nothing worth waiting for (it may be mid warm-up)."""
        self._ctl.close()
        self._proc.kill()
        self._proc.wait()


def _from_warm(msg: bytes) -> protocol.WarmReady | protocol.Spawned | None:
    try:
        return protocol.from_warm(msg)
    except protocol.ProtocolError:
        return None
