"""The exercises this grader knows: one entry each, everything else is derived from it."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SUITES_DIR = Path(__file__).resolve().parent / "suites"


@dataclass(frozen=True)
class Exercise:
    id: str        # folder name under exercises/ and solutions/, e.g. "05_linear_loop"
    entry: str     # the file the student writes, e.g. "train_linear.py"
    title: str
    title_ja: str
    warmups: tuple[str, ...] = ()  # slow first uses of torch its checks hit (grader.warmup)

    @property
    def number(self) -> str:
        return self.id[:2]

    @property
    def module(self) -> str:
        return self.entry.removesuffix(".py")

    @property
    def suite_package(self) -> str:
        return f"grader.suites.ex{self.id}"

    @property
    def suite_dir(self) -> Path:
        return SUITES_DIR / f"ex{self.id}"

    @property
    def checks_file(self) -> Path:
        """checks.py, or in a graded release opened with its key the full checks (grader.release.graded)."""
        unlocked = self.suite_dir / "_unlocked_checks.py"
        return unlocked if unlocked.is_file() else self.suite_dir / "checks.py"

    @property
    def baked_file(self) -> Path:
        """Expected values baked from the reference (`grade solutions/ --bake`), for releases without it."""
        unlocked = self.suite_dir / "_unlocked_expected.grw"
        return unlocked if unlocked.is_file() else self.suite_dir / "expected.grw"

    @property
    def reference_file(self) -> Path:
        return REPO_ROOT / "solutions" / self.id / self.entry

    @property
    def stub_folder(self) -> Path:
        return REPO_ROOT / "exercises" / self.id


EXERCISES = (
    Exercise("01_last_token", "last_token.py", "Last-token extraction from padded batches", "パディングされたバッチから最後のトークンを取り出す"),
    Exercise("02_swish", "swish.py", "Swish as a custom autograd Function", "カスタム autograd Function による Swish"),
    Exercise("03_residual_mlp", "residual_mlp.py", "Residual MLP with dropout and variable depth", "ドロップアウトと可変の深さを持つ残差 MLP"),
    Exercise("04_sgdr", "sgdr.py", "SGDR scheduler with warmup", "ウォームアップ付き SGDR スケジューラ", ("optimizers",)),
    Exercise("05_linear_loop", "train_linear.py", "A manual linear training loop", "手書きの線形モデル学習ループ"),
)


def by_number(number: str) -> Exercise | None:
    """'5', '05', '05_linear_loop' and '05_lin' all name exercise 05."""
    number = number.strip()
    for ex in EXERCISES:
        if number in (ex.id, ex.number, ex.number.lstrip("0")) or (len(number) > 2 and ex.id.startswith(number)):
            return ex
    return None


def probe_modules() -> list[str]:
    """Probe modules that exist; the warm sandbox process imports them before forking children."""
    names = ["grader.contract"]  # the shared contract harness's probe
    for ex in EXERCISES:
        name = f"{ex.suite_package}.probes"
        if importlib.util.find_spec(name) is not None:
            names.append(name)
    return names
