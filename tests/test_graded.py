"""Graded mode: a release that carries its hidden checks encrypted, opened in CI with GRADER_KEY.

The release is graded as a student's CI would grade it: its own grader package (PYTHONPATH), a fresh
process, the key in the environment. The instructor's repository grades the same submission in clear.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_files import entries

from grader import catalog
from grader.release.build import build
from grader.release.graded import BUNDLE, ENV_KEY, UNLOCKED_CHECKS, new_key, open_bundle, seal
from grader.release.visible import split

REPO = Path(__file__).resolve().parent.parent
EX05 = catalog.by_number("05")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("graded") / "release"
    key = new_key()
    build(out, key=key)
    return out, key


def grade(release: Path | None, path: Path, key: bytes | str | None, tmp_path: Path, *extra: str):
    """`grade PATH --json` in a fresh process: the release's grader when `release`, else the instructor's."""
    env = {k: v for k, v in os.environ.items() if k not in (ENV_KEY, "GITHUB_ACTIONS")}
    if key is not None:
        env[ENV_KEY] = key.decode() if isinstance(key, bytes) else key
    cwd = release or REPO
    if release is not None:
        env["PYTHONPATH"] = str(release)
    report = tmp_path / f"grade-{len(list(tmp_path.iterdir()))}.json"
    done = subprocess.run([sys.executable, "-m", "grader", str(path), "--json", str(report), "--html",
                           str(tmp_path / "r.html"), *extra], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=900)
    doc = json.loads(report.read_text()) if report.is_file() else None
    return done, doc


def by_check(doc) -> dict[str, tuple[str, int, int]]:
    return {c["id"]: (c["outcome"], c["score"], c["max_score"]) for e in doc["exercises"] for c in e["checks"]}


def test_the_bundles_hold_no_readable_check_and_the_key_is_nowhere(graded):
    out, key = graded
    for ex in catalog.EXERCISES:
        bundle = (out / "grader" / "suites" / f"ex{ex.id}" / BUNDLE).read_bytes()
        _, hidden = split(ex.checks_file.read_text())
        assert hidden and not any(node.name.encode() in bundle for node in hidden)
        assert b"def check_" not in bundle and b"import" not in bundle
    assert not any(key in p.read_bytes() for p in out.rglob("*") if p.is_file())


def test_a_bundle_opens_only_with_its_key():
    key, other = new_key(), new_key()
    token = seal(key, {"checks.py": b"secret"})
    assert open_bundle(key, token) == {"checks.py": b"secret"}
    with pytest.raises(Exception, match="does not open"):
        open_bundle(other, token)
    with pytest.raises(Exception, match="does not open"):
        open_bundle(key, token[:-4] + b"AAAA")  # tampered: the HMAC fails


def test_with_the_key_every_check_runs_and_grades_as_the_instructor_does(graded, tmp_path):
    out, key = graded
    [entry] = [e for e in entries() if e.exercise == EX05 and "no_grad_reset" in e.name]
    submission = entry.write(tmp_path / "sub")
    done, student = grade(out, submission, key, tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]
    _, instructor = grade(None, submission, None, tmp_path)
    assert by_check(student) == by_check(instructor)
    assert student["total"] == instructor["total"] and student["total"]["score"] < student["total"]["max_score"]
    assert "Feedback mode" not in done.stdout
    assert not list(out.rglob("_unlocked_*")), "the opened checks outlived the run"


def test_without_the_key_it_is_feedback_mode(graded, tmp_path):
    out, _ = graded
    done, doc = grade(out, REPO / "solutions" / EX05.id, None, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    visible, hidden = split(EX05.checks_file.read_text())
    assert len(by_check(doc)) == visible.count("\ndef check_") and hidden
    assert f"Feedback mode: {len(hidden)} hidden checks" in done.stdout


def test_a_wrong_key_is_one_line_and_exit_2(graded, tmp_path):
    out, _ = graded
    done, doc = grade(out, REPO / "solutions" / EX05.id, new_key(), tmp_path)
    assert done.returncode == 2 and doc is None
    assert done.stderr.strip().splitlines() == [
        "Error: GRADER_KEY does not open the hidden checks of this release (a wrong key, or a release sealed with another one)"]


PRYING = '''\
import os, glob
seen = []
for path in ["/proc/self/environ", "/proc/1/environ", "/proc/%d/environ" % os.getppid(), {unlocked!r}, {bundle!r}]:
    try:
        with open(path, "rb") as f:
            seen.append(f.read(100000).decode("latin-1"))
    except OSError as exc:
        seen.append("refused " + path + " " + type(exc).__name__)
seen.append(repr(dict(os.environ)))
seen += glob.glob("/**/_unlocked_*", recursive=True)[:5]
print("PRYING", "\\n".join(seen))
'''


def test_student_code_sees_neither_the_key_nor_the_opened_checks(graded, tmp_path):
    out, key = graded
    suite = out / "grader" / "suites" / f"ex{EX05.id}"
    source = EX05.reference_file.read_text() + "\n" + PRYING.format(unlocked=str(suite / UNLOCKED_CHECKS),
                                                                    bundle=str(suite / BUNDLE))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "train_linear.py").write_text(source)
    done, doc = grade(out, tmp_path / "sub" / "train_linear.py", key, tmp_path, "-e", "05", "-k", "trains_the_model")
    text = json.dumps(doc) + done.stdout + done.stderr
    assert "PRYING" in text, "the prying code did not run"
    assert key.decode() not in text and ENV_KEY not in json.dumps([c["output"] for e in doc["exercises"] for c in e["checks"]])
    assert "def check_" not in text and "_unlocked_checks.py" not in text.replace(str(suite / UNLOCKED_CHECKS), "")
