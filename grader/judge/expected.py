"""Expected values by (probe, arguments, seed, device), computed once and optionally baked into a file.

A release for students can ship a baked file instead of the reference solution: the judge then
answers `reference.call` from it. The file is one wire message (plain data, no pickle).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from grader import wire

FORMAT = "grader-expected/1"


class ExpectedStore:
    """Wire messages of expected values, keyed by what produced them."""

    def __init__(self, values: dict[str, bytes] | None = None, sources: dict[str, str] | None = None) -> None:
        self._values: dict[str, bytes] = dict(values or {})
        self.sources = dict(sources or {})  # file name -> sha256 of the code the values came from

    def __len__(self) -> int:
        return len(self._values)

    @staticmethod
    def key(probe: str, request: bytes, seed: int, device: str) -> str:
        return hashlib.sha256(b"|".join([probe.encode(), str(seed).encode(), device.encode(), request])).hexdigest()

    def get(self, key: str) -> bytes | None:
        return self._values.get(key)

    def put(self, key: str, message: bytes) -> None:
        self._values[key] = message

    def save(self, path: Path, sources: dict[str, str]) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(wire.encode({"format": FORMAT, "sources": sources, "values": self._values}))
        return path

    @classmethod
    def load(cls, path: Path) -> ExpectedStore:
        """A baked store; an unreadable or foreign file is refused rather than half-used."""
        document = wire.decode(path.read_bytes())
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise wire.WireError(f"{path} is not a baked expected-values file")
        return cls({k: v for k, v in document["values"].items() if isinstance(v, bytes)}, document.get("sources"))

    def stale(self, sources: dict[str, str]) -> bool:
        """True when any of `sources` that still exists differs from what the values were baked from."""
        return any(self.sources.get(name) != digest for name, digest in sources.items())


def fingerprint(*files: Path) -> dict[str, str]:
    """sha256 of each file that exists, by name: what baked values depend on."""
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.is_file()}
