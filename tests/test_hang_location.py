"""A hang says where: a timed-out call or import names the student's file, line and function."""

from __future__ import annotations

import textwrap

import pytest

from grader.sandbox.judge_side import stacks
from grader.sandbox.judge_side.client import Sandbox, StudentError, WarmProcess
from grader.sandbox.limits import Limits

SPINS = textwrap.dedent('''
    def helper(n):
        while True:
            n += 1

    def spin():
        return helper(0)
''')

SPINS_AT_IMPORT = textwrap.dedent('''
    import math

    x = 0
    while True:
        x += 1
''')


@pytest.fixture(scope="module")
def warm():
    w = WarmProcess()
    yield w
    w.close()


def _timeout(sb: Sandbox) -> StudentError:
    with pytest.raises(StudentError) as info:
        sb.call("grader.probe:invoke", ("spin",), {}, 0)
    assert info.value.outcome == "timeout"
    return info.value


def test_a_call_that_hangs_says_where(warm):
    sb = Sandbox(warm, {"my_code.py": SPINS.encode()}, "my_code", limits=Limits(call_timeout_s=5))
    try:
        exc = _timeout(sb)
    finally:
        sb.close()
    assert [(f["file"], f["function"]) for f in exc.frames][-2:] == [("my_code.py", "spin"), ("my_code.py", "helper")]
    assert exc.frames[-1]["line"] in (3, 4) and exc.frames[-1]["code"] in ("while True:", "n += 1")
    assert "did not finish within 5 s; it was running line" in str(exc.message)
    assert "of my_code.py (in helper)" in str(exc.message)


def test_an_import_that_hangs_says_where_once(warm):
    sb = Sandbox(warm, {"my_code.py": SPINS_AT_IMPORT.encode()}, "my_code",
                 limits=Limits(call_timeout_s=5, import_timeout_s=5))
    try:
        first = _timeout(sb)
        again = _timeout(sb)  # remembered, not run again
    finally:
        sb.close()
    assert first.frames and first.frames[-1]["file"] == "my_code.py" and first.frames[-1]["line"] in (5, 6)
    assert first.frames[-1]["function"] == "<module>"
    assert "importing my_code.py did not finish within 5 s; it was running line" in str(first.message)
    assert again.message == first.message and again.frames == first.frames


WORKDIR = "/tmp/grade-x/work"
FILES = {"s.py": b"a = 1\nwhile True:\n    pass\n"}


def test_dump_keeps_only_the_students_frames_of_the_hanging_thread():
    dump = ("Timeout (0:00:02)!\nThread 0x00007f01 (most recent call first):\n"
            f'  File "{WORKDIR}/s.py", line 1 in other\n'
            "Current thread 0x00007f02 (most recent call first):\n"
            '  File "/usr/lib/torch/x.py", line 9 in apply\n'
            f'  File "{WORKDIR}/s.py", line 2 in inner\n'
            f'  File "{WORKDIR}/elsewhere.py", line 5 in forged\n'
            f'  File "{WORKDIR}/s.py", line 3 in <module>\n')
    frames = stacks.student_frames(dump, WORKDIR, FILES)
    assert frames == [{"file": "s.py", "line": 3, "function": "<module>", "code": "pass"},
                      {"file": "s.py", "line": 2, "function": "inner", "code": "while True:"}]
    assert str(stacks.where(frames, {"s.py": "mine.py"})) == "; it was running line 2 of mine.py (in inner)"


@pytest.mark.parametrize("junk", [
    "", "\x00" * 1000, "Current thread 0x1 (most recent call first):\n" + f'  File "{WORKDIR}/s.py", line 99999999999 in f\n',
    f'  File "{WORKDIR}/s.py", line 2 in f\n',  # no thread header
    "Current thread 0x1 (most recent call first):\n" + f'  File "{WORKDIR}/../s.py", line 2 in f\n',
    "Current thread 0x1 (most recent call first):\n" + f'  File "{WORKDIR}/s.py", line 2 in f; rm -rf\n',
])
def test_forged_dumps_give_no_place(junk):
    assert stacks.student_frames(junk, WORKDIR, FILES) == []


def test_a_huge_dump_is_read_in_bounded_bytes(tmp_path):
    path = tmp_path / "stacks"
    path.write_bytes(b"x" * (stacks.MAX_DUMP_BYTES * 4))
    text, end = stacks.read_dump(str(path), 0)
    assert len(text) == stacks.MAX_DUMP_BYTES and end == stacks.MAX_DUMP_BYTES * 4


def test_many_frames_are_cut_to_the_protocols_bound():
    body = "".join(f'  File "{WORKDIR}/s.py", line 2 in f\n' for _ in range(10_000))
    frames = stacks.student_frames("Current thread 0x1 (most recent call first):\n" + body, WORKDIR, FILES)
    assert 0 < len(frames) <= 50
