"""A class run from outside: interrupted or killed, it leaves reports (or at least no processes) behind.

These start the real CLI in a subprocess and signal it while student code is running. Nothing here
depends on timing beyond generous deadlines: each waits for the sandboxes to exist before signalling.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grader import catalog

REPO = catalog.REPO_ROOT
HANG = REPO / "tests" / "hostile" / "infinite_loop.py"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux (/proc, subreapers)")


def hanging_class(root: Path, students: int) -> Path:
    """Students whose train_linear never returns: graders stay busy until signalled."""
    for i in range(students):
        folder = root / "class" / f"s{i}" / "05_linear_loop"
        folder.mkdir(parents=True)
        shutil.copy(HANG, folder / "train_linear.py")
    return root / "class"


# Runs the CLI as a child of a subreaper, so every process the grader started, orphaned or not, stays a
# descendant we can see; signals it once its sandboxes run, then polls until no descendant is left.
HARNESS = textwrap.dedent('''
    import ctypes, json, os, signal, subprocess, sys, time
    ctypes.CDLL(None).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER
    args, sig, ready = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])

    def tree():
        kids, parents = {}, {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    stat = open(f"/proc/{name}/stat").read()
                except OSError:
                    continue
                fields = stat.rsplit(")", 1)[1].split()
                if fields[0] != "Z":
                    parents[int(name)] = int(fields[1])
        found, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            for child, parent in parents.items():
                if parent == pid:
                    found.append(child)
                    todo.append(child)
        return found

    def reap():
        while True:
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    return
            except ChildProcessError:
                return

    # files, not pipes: an orphan holding a pipe open must not hang this harness
    logs = [open(f"{sys.argv[4]}/cli.{name}", "w+b") for name in ("out", "err")]
    cli = subprocess.Popen([sys.executable, "-m", "grader", *args], stdout=logs[0], stderr=logs[1],
                           start_new_session=True)
    deadline = time.time() + 300
    while len(tree()) < ready and time.time() < deadline and cli.poll() is None:
        time.sleep(0.2)
    time.sleep(1)
    if sig == signal.SIGINT:
        os.killpg(cli.pid, sig)  # what a terminal's Ctrl-C does: the whole foreground group
    else:
        os.kill(cli.pid, sig)
    cli.wait(timeout=300)
    out, err = (log.seek(0) or log.read() for log in logs)
    deadline = time.time() + 90
    left = tree()
    while left and time.time() < deadline:
        reap()
        time.sleep(0.5)
        left = tree()
    cmds = []
    for pid in left:
        try:
            cmds.append(open(f"/proc/{pid}/cmdline").read().replace("\\0", " "))
        except OSError:
            pass
    print(json.dumps({"rc": cli.returncode, "stdout": out.decode(errors="replace"),
                      "stderr": err.decode(errors="replace"), "left": cmds}))
''')


def run_and_signal(tmp_path: Path, args: list[str], sig: int, ready: int) -> dict:
    env = {"PATH": "/usr/bin:/bin", "CI": "1", "HOME": "/tmp", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", HARNESS, json.dumps(args), str(int(sig)), str(ready), str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


SLOW = ["--timeout", "300", "--budget", "600", "--brief"]


def test_kill_9_with_two_jobs_leaves_no_process(tmp_path):
    """kill -9 of the CLI: both judges, their warm processes and their sandboxes die with it."""
    # ready: the CLI, 2 judges, 2 warm processes and at least one sandbox (supervisor + worker)
    got = run_and_signal(tmp_path, [str(hanging_class(tmp_path, 3)), "-j", "2", *SLOW, "--html", str(tmp_path / "r.html")],
                         signal.SIGKILL, ready=7)
    assert got["rc"] == -signal.SIGKILL
    assert got["left"] == [], got["left"]


@pytest.mark.parametrize("jobs, sig", [("1", signal.SIGINT), ("2", signal.SIGINT), ("1", signal.SIGTERM)])
def test_interrupt_stops_cleanly_with_reports(tmp_path, jobs, sig):
    """Ctrl-C (or SIGTERM) mid-run: exit 130, one line, no traceback or pytest output, every submission
    in the reports as not graded, and no process left."""
    report = tmp_path / "r.json"
    got = run_and_signal(tmp_path, [str(hanging_class(tmp_path, 2)), "-j", jobs, *SLOW, "--json", str(report),
                          "--csv", str(tmp_path / "r.csv"), "--html", str(tmp_path / "r.html")],
                         sig, ready=4 if jobs == "1" else 7)
    output = got["stdout"] + got["stderr"]
    assert got["rc"] == 130, output
    assert "Traceback" not in output and "=====" not in output and "KeyboardInterrupt" not in output
    assert "interrupted: 0 of 2 submissions graded" in output
    doc = json.loads(report.read_text())
    assert len(doc["exercises"]) == 2
    assert all(e["checks"][0]["message"].startswith("not graded") for e in doc["exercises"])
    assert all(e["max_score"] > 0 for e in doc["exercises"])
    assert (tmp_path / "r.csv").read_text().count("not graded") == 2
    assert got["left"] == [], got["left"]
