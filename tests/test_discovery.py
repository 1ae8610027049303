"""What the user types resolves to the right submissions, or to one clear usage error."""

from __future__ import annotations

import io
import tarfile
import zipfile

import pytest

from grader import catalog, discovery
from grader.errors import UsageError

REPO = catalog.REPO_ROOT


def test_prefix_full_name_and_file(monkeypatch):
    monkeypatch.chdir(REPO)
    for typed in ("exercises/05", "exercises/05_linear_loop", "exercises/05_linear_loop/train_linear.py"):
        [sub] = discovery.resolve(typed)
        assert sub.exercise.id == "05_linear_loop" and "train_linear.py" in sub.files and sub.label == typed


def test_folder_of_exercises_gives_all_five(monkeypatch):
    monkeypatch.chdir(REPO)
    subs = discovery.resolve("exercises/")
    assert [s.exercise.id for s in subs] == [e.id for e in catalog.EXERCISES]


def test_class_folder_and_explicit_exercise(tmp_path):
    for student in ("alice", "bob"):
        (tmp_path / student / "05_linear_loop").mkdir(parents=True)
        (tmp_path / student / "05_linear_loop" / "train_linear.py").write_text("x = 1\n")
        (tmp_path / student / "05_linear_loop" / "__pycache__").mkdir()
    subs = discovery.resolve(str(tmp_path))
    assert [s.label.split("/")[-2] for s in subs] == ["alice", "bob"]
    assert all(list(s.files) == ["train_linear.py"] for s in subs)
    odd = tmp_path / "my-work"
    odd.mkdir()
    (odd / "train_linear.py").write_text("x = 1\n")
    [sub] = discovery.resolve(str(odd), "5")
    assert sub.exercise.id == "05_linear_loop"


def test_archives(tmp_path):
    z = tmp_path / "alice.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("alice/02_swish/swish.py", "x = 1\n")
    [sub] = discovery.resolve(str(z))
    assert sub.exercise.id == "02_swish"
    t = tmp_path / "bob.tar.gz"
    with tarfile.open(t, "w:gz") as f:
        data = b"x = 1\n"
        info = tarfile.TarInfo("04_sgdr/sgdr.py")
        info.size = len(data)
        f.addfile(info, io.BytesIO(data))
    [sub] = discovery.resolve(str(t))
    assert sub.exercise.id == "04_sgdr"


@pytest.mark.parametrize("make, needle", [
    (lambda d: str(d / "nope"), "no such file or folder"),
    (lambda d: (d / "broken.zip").write_bytes(b"PK\x03\x04 not really") and str(d / "broken.zip"), "not a readable archive"),
    (lambda d: (d / "05_linear_loop").mkdir() or str(d / "05_linear_loop"), "has no train_linear.py"),
    (lambda d: (d / "notes.py").write_text("") or str(d / "notes.py"), "--exercise"),
])
def test_user_mistakes_are_one_clear_error(tmp_path, make, needle):
    with pytest.raises(UsageError, match=needle):
        discovery.resolve(make(tmp_path))


def test_unknown_exercise_and_escaping_archives(tmp_path):
    with pytest.raises(UsageError, match="unknown exercise '99'"):
        discovery.resolve(str(tmp_path), "99")
    z = tmp_path / "evil.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("../../escape.py", "x = 1\n")
    with pytest.raises(UsageError, match="outside the archive"):
        discovery.resolve(str(z))
    assert not (tmp_path.parent / "escape.py").exists()


def test_symlinks_are_not_followed(tmp_path):
    folder = tmp_path / "05_linear_loop"
    folder.mkdir()
    (folder / "train_linear.py").write_text("x = 1\n")
    (folder / "secret.py").symlink_to("/etc/passwd")
    [sub] = discovery.resolve(str(folder))
    assert "secret.py" not in sub.files


def test_archives_that_balloon_or_hold_links_are_handled(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as f:
        f.writestr("05_linear_loop/train_linear.py", b"\n" * (101 * 2**20))
    with pytest.raises(UsageError, match="unpacks to more than"):
        discovery.resolve(str(bomb))
    linked = tmp_path / "linked.tar"
    with tarfile.open(linked, "w") as f:
        data = b"x = 1\n"
        info = tarfile.TarInfo("05_linear_loop/train_linear.py")
        info.size = len(data)
        f.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("05_linear_loop/secret.py")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/shadow"
        f.addfile(link)
    [sub] = discovery.resolve(str(linked))
    assert list(sub.files) == ["train_linear.py"]


def test_dot_entry_file_names_and_plainly_named_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO / "exercises" / "05_linear_loop")
    [sub] = discovery.resolve(".")
    assert sub.exercise.id == "05_linear_loop" and sub.label == "."
    [sub] = discovery.resolve("train_linear.py")
    assert sub.exercise.id == "05_linear_loop"
    homework = tmp_path / "my homework"
    homework.mkdir()
    (homework / "swish.py").write_text("x = 1\n")
    (homework / "helpers.py").write_text("y = 2\n")
    [sub] = discovery.resolve(str(homework))
    assert sub.exercise.id == "02_swish" and set(sub.files) == {"swish.py", "helpers.py"}
