"""`grade-release OUT`: a student repository without solutions or hidden checks, graded in feedback mode."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from grader import catalog
from grader.release import WORKFLOWS
from grader.release.visible import split

REPO = catalog.REPO_ROOT
MIN_LINE = 24  # shorter lines are generic code ("for _ in range(steps):", "raise ValueError(")


def run(*args: str, cwd: Path, module: str = "grader") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", f"import sys; from grader.cli import {'release_main' if module == 'release' else 'main'} as m; sys.exit(m())", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={"PATH": "/usr/bin:/bin", "CI": "1", "HOME": "/tmp", "PYTHONPATH": str(cwd if module == "grader" else REPO)})


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "student-repo"
    done = run(str(out), cwd=REPO, module="release")
    assert done.returncode == 0, done.stderr
    assert "hidden checks" in done.stdout
    return out


def release_text(release: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in release.rglob("*") if p.is_file())


def test_release_has_no_solutions_tests_or_benchmarks(release):
    assert sorted(p.name for p in release.iterdir()) == sorted([".github", ".gitignore", ".gitlab-ci.yml", "README.md",
                                                                "exercises", "grader", "pyproject.toml"])
    for name, template in WORKFLOWS.items():
        assert (release / name).read_text() == template.read_text()


def test_no_line_of_any_reference_solution(release):
    text = release_text(release)
    checked, leaked = 0, []
    for ex in catalog.EXERCISES:
        published = "\n".join(p.read_text() for p in (REPO / "exercises" / ex.id).iterdir() if p.is_file())  # spec, stub
        for line in ex.reference_file.read_text().splitlines():
            line = line.strip()
            if len(line) < MIN_LINE or line.startswith(("#", "import ", "from ")) or line in published:
                continue
            checked += 1
            leaked += [line] if line in text else []
    assert not leaked and checked > 50


def release_lines(release) -> set[str]:
    return {line.strip() for path in release.rglob("*") if path.is_file() and path.suffix in (".py", ".md", ".json", ".toml", ".yml", ".po")
            for line in path.read_text(errors="replace").splitlines()}


def public_lines(release) -> set[str]:
    """Lines of the visible checks, the probes (public by design: they run in the sandbox) and the grader's
    library: shared with a hidden check, they reveal nothing of it."""
    files = [p for p in (release / "grader").rglob("*.py") if "suites" not in p.parts or p.name in ("checks.py", "probes.py")]
    return {line.strip() for p in files for line in p.read_text().splitlines()}


def test_no_hidden_check_in_readable_form(release):
    text = release_text(release)
    hidden_count, leaked = 0, []
    for ex in catalog.EXERCISES:
        source = ex.checks_file.read_text()
        _, hidden = split(source)
        for node in hidden:
            hidden_count += 1
            body = ast.get_source_segment(source, node)
            leaked += [body] if body in text else []
            leaked += [node.name] if re.search(rf"\b{node.name}\b", text) else []
            for line in body.splitlines():  # nor any of its lines, unless the release's public code has it too
                line = line.strip()
                if len(line) >= MIN_LINE and line in release_lines(release) and line not in public_lines(release):
                    leaked += [line]
        assert json.loads((release / "grader" / "suites" / f"ex{ex.id}" / "hidden.json").read_text())["checks"] == len(hidden)
    assert not leaked and hidden_count > 0


def test_feedback_mode_stub_runs_visible_checks_and_counts_hidden(release, tmp_path):
    out = run("exercises/", "--json", str(tmp_path / "g.json"), "--html", str(tmp_path / "g.html"), cwd=release)
    assert out.returncode == 1, out.stderr
    doc = json.loads((tmp_path / "g.json").read_text())
    checks = [c for e in doc["exercises"] for c in e["checks"]]
    assert checks and all(c["visibility"] == "visible" for c in checks) and doc["total"]["score"] == 0
    hidden = sum(len(split(ex.checks_file.read_text())[1]) for ex in catalog.EXERCISES)
    assert f"Feedback mode: {hidden} hidden checks" in out.stdout


def test_references_get_full_points_from_baked_values(release, tmp_path):
    """No solutions/ in the release: the visible checks answer reference.call from the baked files."""
    subs = tmp_path / "subs"
    for ex in catalog.EXERCISES:
        shutil.copytree(REPO / "solutions" / ex.id, subs / ex.id)
    assert not (release / "solutions").exists()
    out = run(str(subs), "--json", str(tmp_path / "g.json"), "--html", str(tmp_path / "g.html"), cwd=release)
    doc = json.loads((tmp_path / "g.json").read_text())
    assert out.returncode == 0, out.stdout[-2000:]
    assert doc["total"]["score"] == doc["total"]["max_score"] > 0


def test_release_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    out = run(str(tmp_path), cwd=REPO, module="release")
    assert out.returncode == 2 and "not an empty folder" in out.stderr and (tmp_path / "keep.txt").read_text() == "mine"


def test_translations_in_the_release_hold_only_the_visible_checks_messages(release):
    """A hidden check's message or hint (its msgid) would say what it checks: the catalogues are pruned."""
    from grader.i18n.catalogues import domains
    from grader.i18n.extract import messages

    suites = [d for d in domains(release / "grader") if d.name == "checks"]
    assert len(suites) == len(catalog.EXERCISES)
    for domain in suites:
        with domain.po_file("ja").open("rb") as f:
            shipped = {m.id for m in read_po(f) if m.id}
        assert shipped == set(messages(domain)), domain.folder.name
        with (catalog.SUITES_DIR / domain.folder.name / "locale" / "ja" / "LC_MESSAGES" / "checks.po").open("rb") as f:
            full = {m.id for m in read_po(f) if m.id}
        assert shipped < full, f"{domain.folder.name}: nothing pruned, though it has hidden checks"
