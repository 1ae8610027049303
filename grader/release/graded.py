"""Graded mode: a student release that carries its hidden checks encrypted, for the course's own CI.

`grade-release OUT --graded --key-file KEY` seals, per exercise, the full checks, their Japanese
catalogue and the expected values baked from the reference into `hidden.enc` (Fernet from the
`cryptography` package: AES-128-CBC with an HMAC-SHA256, no crypto of our own). The key stays with the
instructor and goes into the CI secret GRADER_KEY.

When `grade` starts with GRADER_KEY set, the judge takes the key out of its environment (so no process
started later inherits it), opens each bundle and writes the hidden checks next to the visible ones as
`_unlocked_*` files, mode 0600. They live in the grader's package, which the sandbox covers: student
code can neither read them nor the key (its environment is scrubbed, its /proc is its own). They are
removed when `grade` ends.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader import catalog, wire
from grader.errors import UsageError

ENV_KEY = "GRADER_KEY"
BUNDLE = "hidden.enc"
FORMAT = "grader-hidden/1"
UNLOCKED_CHECKS = "_unlocked_checks.py"
UNLOCKED_EXPECTED = "_unlocked_expected.grw"
UNLOCKED_CATALOGUE = Path("locale") / "ja" / "LC_MESSAGES" / "_unlocked_checks.po"
_FILES = {"checks.py": UNLOCKED_CHECKS, "expected.grw": UNLOCKED_EXPECTED, "checks.po": str(UNLOCKED_CATALOGUE)}


def new_key() -> bytes:
    from cryptography.fernet import Fernet

    return Fernet.generate_key()


def read_or_make_key(path: Path, release: Path) -> bytes:
    """The key in `path`, or a new one written there (0600); never inside the release itself."""
    resolved, inside = path.resolve(), release.resolve()
    if resolved == inside or inside in resolved.parents:
        raise UsageError(f"--key-file {path}: the key must not be written inside the release {release}")
    if path.is_file():
        key = path.read_bytes().strip()
        _fernet(key)  # a file that is not a key is a usage error, not a broken release
        return key
    key = new_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key + b"\n")
    return key


def _fernet(key: bytes) -> Any:  # cryptography is imported only where graded mode is used
    from cryptography.fernet import Fernet

    try:
        return Fernet(key)
    except (ValueError, TypeError):
        raise UsageError(f"{ENV_KEY}: not a key made by grade-release (44 url-safe base64 characters)") from None


def seal(key: bytes, files: dict[str, bytes]) -> bytes:
    """One exercise's hidden material (checks.py, expected.grw, checks.po) as one encrypted token."""
    unknown = set(files) - set(_FILES)
    if unknown:
        raise ValueError(f"cannot seal {sorted(unknown)}")
    return _fernet(key).encrypt(wire.encode({"format": FORMAT, "files": dict(files)}))


def open_bundle(key: bytes, token: bytes) -> dict[str, bytes]:
    from cryptography.fernet import InvalidToken

    try:
        document = wire.decode(_fernet(key).decrypt(token))
    except InvalidToken:
        raise UsageError(f"{ENV_KEY} does not open the hidden checks of this release (a wrong key, or a "
                         "release sealed with another one)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT or not isinstance(document.get("files"), dict):
        raise UsageError(f"{BUNDLE}: not a bundle of hidden checks made by grade-release")
    return {k: v for k, v in document["files"].items() if k in _FILES and isinstance(v, bytes)}


@dataclass
class Unlocked:
    """The hidden checks written for this run; `lock()` removes them (also at exit)."""

    paths: list[Path]

    def lock(self) -> None:
        for path in self.paths:
            path.unlink(missing_ok=True)
        self.paths.clear()


def bundles(suites_dir: Path | None = None) -> list[tuple[catalog.Exercise, Path]]:
    suites_dir = suites_dir or catalog.SUITES_DIR
    return [(ex, suites_dir / f"ex{ex.id}" / BUNDLE) for ex in catalog.EXERCISES
            if (suites_dir / f"ex{ex.id}" / BUNDLE).is_file()]


def unlock_from_env(env: MutableMapping[str, str] | None = None, suites_dir: Path | None = None) -> Unlocked | None:
    """With GRADER_KEY set in a graded release: the hidden checks, opened for this run.

    The key leaves the environment first, whatever happens next. Outside a graded release the key
    is ignored (an instructor's own repository has every check in clear).
    """
    env = os.environ if env is None else env
    key = env.pop(ENV_KEY, "").strip()
    suites_dir = suites_dir or catalog.SUITES_DIR
    if not key:
        _remove_leftovers(suites_dir)
        return None
    found = bundles(suites_dir)
    opened = [(suites_dir / f"ex{ex.id}", open_bundle(key.encode(), path.read_bytes())) for ex, path in found]
    unlocked = Unlocked([])
    atexit.register(unlocked.lock)
    try:
        for suite, files in opened:
            for name, data in files.items():
                target = suite / _FILES[name]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.unlink(missing_ok=True)
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                unlocked.paths.append(target)
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
    except BaseException:
        unlocked.lock()
        raise
    return unlocked


def _remove_leftovers(suites_dir: Path) -> None:
    """Hidden checks left by a run that was killed: never used without the key."""
    if not suites_dir.is_dir():
        return
    for suite in suites_dir.iterdir():
        for name in _FILES.values():
            if (suite / name).is_file() and (suite / BUNDLE).is_file():
                (suite / name).unlink(missing_ok=True)
