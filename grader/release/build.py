"""`grade-release OUT`: a student repository made from this one, without solutions or hidden checks.

It holds exercises/ (specs and stubs), the grader package with each suite's visible checks only (hidden
ones become a count in hidden.json), expected values baked from the reference for those visible checks,
the CI workflows and a README for students. Nothing of solutions/, tests/ or benchmarks/ is copied.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from grader import catalog
from grader.errors import GraderError, UsageError
from grader.release import GRADED_WORKFLOWS, HIDDEN_FILE, WORKFLOWS
from grader.release.visible import hidden_summary, split

_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.grw", ".*",
                               "equivalent_mutants.toml", "spec_map.py")  # instructor data: they name and quote checks and the reference

STUDENT_README = """\
# PyTorch exercises

Write your code in `exercises/NN_name/<file>.py`; each folder's `README.md` is the spec (English and
Japanese). Then, in a virtual environment (Debian and Ubuntu refuse `pip install` outside one):

```bash
python3 -m venv .venv && . .venv/bin/activate
python -m pip install "{torch}" --index-url https://download.pytorch.org/whl/cpu   # CPU-only PyTorch, small
python -m pip install -e .
grade exercises/05            # one exercise (a unique prefix of the folder name is enough)
grade exercises/              # every exercise
```

Every push runs the same on GitHub Actions (`.github/workflows/grade.yml`) or GitLab CI (`.gitlab-ci.yml`):
the points are in the job summary, each failed check is marked at your own file and line, and the
reports are kept as artifacts. This repository holds the visible checks only: the hidden ones
({hidden} checks, {points} points) are run by your instructor when grading.

## 学生のみなさんへ

`exercises/NN_name/<file>.py` を実装し、`grade exercises/05` で採点できます（上のコマンドで仮想環境を作り、
CPU 版 PyTorch をインストールしてから）。push するたびに CI が同じ採点を行い、失敗したチェックはあなたの
ファイルの該当行に表示されます。非公開のチェック（{hidden} 個、{points} 点）は教員が採点時に実行します。
"""

GITIGNORE = ".venv/\n__pycache__/\n*.egg-info/\ngrade-report.html\ngrade.json\ngrade-junit.xml\n"


def _torch_range(pyproject: str) -> str:
    line = next(line for line in pyproject.splitlines() if line.strip().startswith('"torch'))
    return line.split('"')[1]


def build(out: Path, bake: bool = True, key: bytes | None = None) -> dict[str, Any]:
    """Write the release into `out` (absent or empty); returns what it holds (for the report).

    `key`: graded mode, the hidden checks go in too, sealed with it (grader.release.graded).
    """
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out}: exists and is not an empty folder; give a new folder for the release")
    root = catalog.REPO_ROOT
    if not (root / "solutions").is_dir() or not (root / "exercises").is_dir():
        raise UsageError(f"grade-release works from the instructor's repository; {root} has no solutions/ and exercises/ "
                         "(run it as python3 -m grader.release from a checkout, or install with pip install -e .)")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(root / "exercises", out / "exercises", ignore=_SKIP, dirs_exist_ok=True)
    shutil.copytree(root / "grader", out / "grader", ignore=_SKIP, dirs_exist_ok=True)
    hidden_total = {"checks": 0, "points": 0}
    for ex in catalog.EXERCISES:
        suite = out / "grader" / "suites" / f"ex{ex.id}"
        visible, hidden = split(ex.checks_file.read_text(encoding="utf-8"))
        (suite / "checks.py").write_text(visible, encoding="utf-8")
        summary = hidden_summary(hidden)
        (suite / HIDDEN_FILE).write_text(json.dumps(summary) + "\n")
        for name in hidden_total:
            hidden_total[name] += summary[name]
    _prune_catalogues(out)
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    pyproject = pyproject.replace('"grader.release" = [', f'"grader.suites" = ["*/{HIDDEN_FILE}", "*/expected.grw", "*/hidden.enc"]\n"grader.release" = [')
    (out / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for name, template in {**WORKFLOWS, **(GRADED_WORKFLOWS if key else {})}.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, out / name)
    (out / "README.md").write_text(STUDENT_README.format(torch=_torch_range(pyproject), hidden=hidden_total["checks"],
                                                         points=hidden_total["points"]), encoding="utf-8")
    (out / ".gitignore").write_text(GITIGNORE)
    if bake:
        _bake(out)
    if key is not None:
        _seal_hidden(out, key)
    return {"hidden": hidden_total, "graded": key is not None, "files": sum(len(files) for _, _, files in os.walk(out)),
            "bytes": sum((Path(d) / f).stat().st_size for d, _, files in os.walk(out) for f in files)}


def _prune_catalogues(out: Path) -> None:
    """Each suite's translations keep only the messages its released (visible) code uses: a hidden
    check's messages and hints would tell what it checks."""
    from grader.i18n.catalogues import TRANSLATED, domains
    from grader.i18n.update import update

    for domain in domains(out / "grader"):
        if domain.name == "checks":
            for lang in TRANSLATED:
                update(domain, lang)


def _seal_hidden(out: Path, key: bytes) -> None:
    """Graded mode: per exercise, the full checks, their full catalogue and the expected values of every
    check (baked from the reference in a scratch copy of the grader), sealed into one bundle."""
    from grader.release.graded import BUNDLE, seal

    with tempfile.TemporaryDirectory(prefix="grade-release-full-") as tmp:
        full = Path(tmp)
        shutil.copytree(catalog.REPO_ROOT / "grader", full / "grader", ignore=_SKIP)
        _bake(full)
        for ex in catalog.EXERCISES:
            suite = full / "grader" / "suites" / f"ex{ex.id}"
            files = {"checks.py": (suite / "checks.py").read_bytes()}
            for name, path in (("expected.grw", suite / "expected.grw"),
                               ("checks.po", suite / "locale" / "ja" / "LC_MESSAGES" / "checks.po")):
                if path.is_file():
                    files[name] = path.read_bytes()
            (out / "grader" / "suites" / f"ex{ex.id}" / BUNDLE).write_bytes(seal(key, files))


def _bake(out: Path) -> None:
    """Expected values of the visible checks: the release's own grader grades a temporary copy of solutions/."""
    solutions = out / "solutions"
    shutil.copytree(catalog.REPO_ROOT / "solutions", solutions, ignore=_SKIP)
    try:
        with tempfile.TemporaryDirectory(prefix="grade-release-") as tmp:
            env = {**os.environ, "PYTHONPATH": str(out), "CI": "1"}
            env.pop("GITHUB_ACTIONS", None)
            done = subprocess.run([sys.executable, "-m", "grader", "solutions/", "--bake", "--device", "cpu",
                                   "--html", str(Path(tmp) / "bake.html")], cwd=out, env=env,
                                  capture_output=True, text=True, timeout=1200)
    finally:
        shutil.rmtree(solutions, ignore_errors=True)
        for cache in out.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)
    if done.returncode != 0:
        raise GraderError(f"baking the expected values failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
