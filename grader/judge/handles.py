"""The `submission` and `reference` objects a check receives: one probe call interface, two oracles."""

from __future__ import annotations

import contextlib
import random
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import torch

from grader import wire
from grader.judge.expected import ExpectedStore
from grader.probe import Subject, probe_name, seed_all
from grader.sandbox.judge_side.client import Sandbox


def derive_seed(*parts: Any) -> int:
    """A stable seed from any parts, equal in every process (unlike hash())."""
    return zlib.crc32(":".join(map(str, parts)).encode()) & 0x7FFFFFFF


@contextlib.contextmanager
def preserved_rng() -> Iterator[None]:
    """Reference calls re-seed; the check's own random inputs must not notice."""
    py_state = random.getstate()
    with torch.random.fork_rng(devices=[]):
        yield
    random.setstate(py_state)


class Submission:
    """The student's code, reachable only through probes run in the sandbox."""

    def __init__(self, sandbox: Sandbox, device: str, check_seed: int, source: dict[str, str]):
        self._sandbox = sandbox
        self.device = device
        self.source = source
        self._seed = check_seed
        self._calls = 0
        self.successes = 0
        self.output: dict[str, str] = {"stdout": "", "stderr": ""}

    @property
    def import_error(self) -> dict[str, Any] | None:
        return self._sandbox.import_error

    def call(self, probe: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        self._calls += 1
        try:
            value = self._sandbox.call(probe_name(probe), args, kwargs, derive_seed(self._seed, self._calls))
            self.successes += 1
            return value
        finally:
            for name, text in self._sandbox.output.items():
                self.output[name] += text


class OracleError(Exception):
    """The reference side failed: never the student's fault."""


class Reference:
    """The reference solution run in the judge, through the same probes and the same seeds."""

    def __init__(self, module: Any, device: str, check_seed: int, store: ExpectedStore | None = None):
        self._module = module
        self.device = device
        self._seed = check_seed
        self._calls = 0
        self._store = ExpectedStore() if store is None else store

    def call(self, probe: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        self._calls += 1
        seed = derive_seed(self._seed, self._calls)
        request = wire.encode((list(args), kwargs))
        key = self._store.key(probe_name(probe), request, seed, self.device)
        message = self._store.get(key)
        if message is None:
            if self._module is None:
                raise OracleError("no reference solution or baked expected value is available for this exercise")
            args, kwargs = wire.decode(request)  # the reference gets copies, as the sandbox does
            try:
                with preserved_rng():
                    seed_all(seed)
                    value = probe(Subject(self._module, torch.device(self.device)), *args, **kwargs)
                message = wire.encode(value)
            except Exception as exc:
                raise OracleError(f"the reference failed in {probe_name(probe)}: {type(exc).__name__}: {exc}") from exc
            self._store.put(key, message)
        return wire.decode(message)
