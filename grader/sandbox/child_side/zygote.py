"""The warm process: imports torch and the probes once, then forks one sandbox per submission.

Started as a clean interpreter (`python -m grader.sandbox.child_side.zygote FD`) before any check or reference
is loaded, so a fork of it carries no hidden checks or expected values in its memory. It never
initialises CUDA; children do that themselves.
"""

from __future__ import annotations

import importlib
import os
import select
import signal
import socket
import sys
from typing import Any

from grader import warmup
from grader.sandbox import protocol
from grader.sandbox.child_side.confine import die_with_parent

PRELOAD = ("math", "random", "itertools", "functools", "collections", "typing", "dataclasses", "copy",
           "warnings", "inspect", "ast", "json", "re", "statistics", "time", "contextlib", "enum", "numbers",
           "operator", "string", "textwrap", "traceback", "abc", "numpy", "torch", "torch.nn",
           "torch.nn.functional", "torch.optim", "torch.optim.lr_scheduler", "torch.autograd",
           "torch.testing", "torch.utils._python_dispatch", "torch.overrides")


def preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)  # no OpenMP pool: it would not survive fork
    # Warm the lazily initialised parts of torch once, so each child does not pay for them.
    w = torch.zeros(2, 3, requires_grad=True)
    F.mse_loss(F.linear(torch.ones(4, 3), w), torch.ones(4, 2)).backward()
    torch.nn.LayerNorm(3)(torch.ones(2, 3)).sigmoid().sum()
    from grader import catalog
    from grader.sandbox.child_side import worker  # noqa: F401 - imported here so children need not read it

    for name in catalog.probe_modules():
        importlib.import_module(name)


def supervise(sock: socket.socket, config: dict[str, Any]) -> None:
    """Child C: new namespaces, fork the worker W (PID 1 of its namespace), report W's exit."""
    from grader.sandbox import channel, protocol
    from grader.sandbox.child_side import confine, worker

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()
    # Facts of the real machine, taken before any user namespace hides them.
    host_root = os.getuid() == 0
    config = dict(config, steps=[], host_root=host_root, sandbox_uid=confine.sandbox_uid(os.getpid()),
                  user_processes=0 if host_root else confine.processes_of(os.getuid()))
    try:
        config["steps"] += confine.enter_namespaces()
        config["in_namespaces"] = True
    except OSError as exc:
        config["steps"] += confine.namespaces_not_entered(str(exc))
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(w)
        os.read(r, 1)
        os.close(r)
        try:
            worker.serve(sock, config)
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            os._exit(70)
    os.close(r)
    channel.send(sock, protocol.Hello(pid, os.getpid()).encode())
    try:
        channel.recv(sock, 16)  # Go: the judge holds a pidfd of the worker before it may run
    except (EOFError, OSError):
        os.kill(pid, signal.SIGKILL)
    os.write(w, b"x")
    os.close(w)
    _, status = os.waitpid(pid, 0)
    try:
        channel.send(sock, protocol.Exited(os.waitstatus_to_exitcode(status)).encode())
    except OSError:
        pass


def main() -> None:
    die_with_parent()
    ctl = socket.socket(fileno=int(sys.argv[1]))
    needed = [name for name in sys.argv[2:] if name in warmup.WARMUPS]
    preload()
    warmup.run(needed)  # what the exercises to grade are known to need, before the first sandbox
    later = [name for name in warmup.WARMUPS if name not in needed]
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    ctl.send(protocol.WarmReady().encode())
    served = 0
    while True:
        # Once the first sandbox is out (a cold run waits for nothing more), warm up the rest while
        # the judge is busy, so that later sandboxes start warmer.
        while served and later and not select.select([ctl], [], [], 0)[0]:
            warmup.run([later.pop(0)])
        msg, fds, _, _ = socket.recv_fds(ctl, 1 << 16, 1)
        if not msg:
            os._exit(0)
        config = protocol.SpawnConfig.decode(msg).as_config()
        pid = os.fork()
        if pid == 0:
            ctl.close()
            die_with_parent()
            try:
                supervise(socket.socket(fileno=fds[0]), config)
            finally:
                os._exit(0)
        os.close(fds[0])
        ctl.send(protocol.Spawned(pid).encode())
        served += 1


if __name__ == "__main__":
    main()
