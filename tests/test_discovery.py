"""What the user types resolves to the right submissions, or to one clear usage error."""

from __future__ import annotations

import io
import tarfile
import tempfile
import zipfile

import pytest
from class_files import build_class

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
    dotted = tmp_path / "carol.tar"  # what `tar -C folder -cf carol.tar .` makes
    with tarfile.open(dotted, "w") as f:
        folder = tarfile.TarInfo("./")
        folder.type = tarfile.DIRTYPE
        f.addfile(folder)
        add(f, "./03_residual_mlp/residual_mlp.py")
    [sub] = discovery.resolve(str(dotted))
    assert sub.exercise.id == "03_residual_mlp" and list(sub.files) == ["residual_mlp.py"]


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


def test_symlinks_are_refused_never_followed(tmp_path):
    folder = tmp_path / "05_linear_loop"
    folder.mkdir()
    (folder / "train_linear.py").write_text("x = 1\n")
    (folder / "secret.py").symlink_to("/etc/passwd")
    with pytest.raises(UsageError, match="secret.py is a symbolic link"):
        discovery.resolve(str(folder))
    [sub] = discovery.find(str(folder))
    assert sub.problem and not sub.files


def test_archives_that_balloon_or_hold_links_are_refused(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as f:
        f.writestr("05_linear_loop/train_linear.py", b"\n" * (101 * 2**20))
    with pytest.raises(UsageError, match="unpacks to more than"):
        discovery.resolve(str(bomb))
    linked = tmp_path / "linked.tar"
    with tarfile.open(linked, "w") as f:
        add(f, "05_linear_loop/train_linear.py")
        link = tarfile.TarInfo("05_linear_loop/secret.py")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/shadow"
        f.addfile(link)
    [sub] = discovery.find(str(linked))
    assert "is a link" in str(sub.problem) and not sub.files


def add(tar: tarfile.TarFile, name: str, data: bytes = b"x = 1\n") -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def test_one_students_problem_is_that_students_result(tmp_path):
    """Nothing stops the class and nothing is skipped: each problem is a row with a clear message."""
    subs = discovery.resolve(str(build_class(tmp_path)))
    by_student = {s.label.split("/class/")[1].split("/")[0]: s for s in subs}
    assert sorted(by_student) == ["alice", "bob", "carol", "dave", "henry", "ivan", "mallory", "oscar", "zoe"]
    assert not by_student["alice"].problem and "train_linear.py" in by_student["alice"].files
    expected = {"bob": "too many files", "carol": "too much data", "dave": "has no train_linear.py (found: train.py)",
                "henry": "put it in", "ivan": "hw3/03_residual_mlp/residual_mlp.py", "mallory": "symbolic link",
                "oscar": "symbolic link", "zoe": "holds no exercise folder"}
    for student, needle in expected.items():
        assert needle in str(by_student[student].problem), (student, by_student[student].problem)
        assert not by_student[student].files  # nothing of a refused submission is graded
    assert by_student["henry"].exercise.id == "03_residual_mlp" and by_student["mallory"].exercise.id == "05_linear_loop"


def test_a_broken_archive_among_many_is_one_row_and_alone_a_usage_error(tmp_path):
    good = tmp_path / "alice.zip"
    with zipfile.ZipFile(good, "w") as f:
        f.writestr("05_linear_loop/train_linear.py", "x = 1\n")
    bad = tmp_path / "bob.zip"
    bad.write_bytes(b"PK\x03\x04 broken")
    subs = discovery.resolve_all([str(good), str(bad)])
    assert [bool(s.problem) for s in subs] == [False, True] and "not a readable archive" in str(subs[1].problem)
    with pytest.raises(UsageError, match="not a readable archive"):
        discovery.resolve_all([str(bad)])


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Archives unpack under here, so the test can see what is left."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_archives_unpack_into_a_folder_that_is_removed(tmp_path, private_tmp):
    z = tmp_path / "alice.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("05_linear_loop/train_linear.py", "x = 1\n")
    [sub] = discovery.resolve(str(z))
    assert sub.files == {"train_linear.py": b"x = 1\n"}
    bad = tmp_path / "bad.tar"
    with tarfile.open(bad, "w") as f:
        add(f, "../../escape.py")
    [sub] = discovery.find(str(bad))
    assert "outside the archive" in str(sub.problem)
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("kind", ["tar.gz", "zip"])
def test_archives_of_too_many_members_are_refused_before_extracting(tmp_path, private_tmp, monkeypatch, kind):
    path = tmp_path / f"many.{kind}"
    n = discovery.MAX_MEMBERS + 1
    if kind == "zip":
        with zipfile.ZipFile(path, "w") as f:
            for i in range(n):
                f.writestr(f"05_linear_loop/f{i}.txt", "")
    else:
        with tarfile.open(path, "w:gz") as f:
            for i in range(n):
                add(f, f"05_linear_loop/f{i}.txt", b"")

    def no_extraction(*args, **kwargs):
        raise AssertionError("extracted before checking the member list")

    monkeypatch.setattr(tarfile.TarFile, "extractall", no_extraction)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", no_extraction)
    [sub] = discovery.find(str(path))
    assert f"more than {discovery.MAX_MEMBERS} members" in str(sub.problem)
    assert list(private_tmp.iterdir()) == []


def test_deeply_nested_archives_are_refused(tmp_path):
    deep = tmp_path / "deep.zip"
    with zipfile.ZipFile(deep, "w") as f:
        f.writestr("/".join(["d"] * (discovery.MAX_DEPTH + 1)) + "/train_linear.py", "x = 1\n")
    [sub] = discovery.find(str(deep))
    assert "nested more than" in str(sub.problem)


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
