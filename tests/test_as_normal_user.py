"""The sandbox tests again, as a normal user: the user-namespace path gets tested wherever the
suite runs as root (CI does), not only on a student's laptop."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile

import pytest

from grader import catalog

USER = "grader-test"
FILES = ("tests/test_sandbox.py", "tests/test_confinement.py")

# Run as root in a mount namespace of its own: hide private folders (e.g. /root, where pyenv puts
# the interpreter) under a tmpfs, bind back only Python and the repository, then become the user.
SWITCH = """
import ctypes, os, sys
from grader.sandbox.child_side import confine
uid, repo = int(sys.argv[1]), sys.argv[2]
if ctypes.CDLL(None, use_errno=True).unshare(confine.CLONE_NEWNS) != 0:
    sys.exit("unshare(CLONE_NEWNS) failed")
confine.expose_python(uid, extra=(repo,))
os.setgroups([])
os.setgid(uid)
os.setuid(uid)
os.execv(sys.executable, [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *sys.argv[3:]])
"""


def _user() -> int:
    try:
        return pwd.getpwnam(USER).pw_uid
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER],
                       check=True, capture_output=True)
        return pwd.getpwnam(USER).pw_uid


@pytest.mark.skipif(os.getuid() != 0, reason="only root can switch to a normal user (this run is already one)")
@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("useradd") is None,
                    reason="needs Linux with useradd")
def test_sandbox_tests_pass_as_a_normal_user():
    uid = _user()
    home = tempfile.mkdtemp(prefix="grader-test-home-")
    os.chown(home, uid, uid)
    try:
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONPATH": str(catalog.REPO_ROOT)}
        proc = subprocess.run([sys.executable, "-c", SWITCH, str(uid), str(catalog.REPO_ROOT), *FILES],
                              cwd=catalog.REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert " passed" in proc.stdout and "failed" not in proc.stdout, proc.stdout[-3000:]
