"""The probe API: small public functions that run against a module and return plain data.

Probes are the only way checks reach student code. The same probe runs inside the sandbox
(against the submission) and in the judge (against the reference), so this module must stay
importable in the sandbox: stdlib and torch only.
"""

from __future__ import annotations

import random
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

_REGISTRY: dict[str, Callable[..., Any]] = {}


def probe_name(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}:{fn.__qualname__}"


def probe(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Register `fn(subject, *args, **kwargs)` as callable across the sandbox boundary."""
    _REGISTRY[probe_name(fn)] = fn
    return fn


def lookup(name: str) -> Callable[..., Any]:
    """The sandbox runs only registered probes: the call interface is this narrow on purpose."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"no probe named {name!r} is registered") from None


def seed_all(seed: int) -> None:
    """Seed torch, random and numpy alike; judge and sandbox call this with the same seed per call."""
    torch.manual_seed(seed)
    random.seed(seed)
    np = sys.modules.get("numpy")
    if np is not None:
        np.random.seed(seed % 2**32)


@dataclass
class Subject:
    """What a probe sees: the module under test and the device the grade was asked for."""

    module: types.ModuleType
    device: torch.device

    def to_device(self, value: Any) -> Any:
        """Move every tensor in a nested container to the run's device."""
        if isinstance(value, torch.Tensor):
            return value.to(self.device)
        if isinstance(value, dict):
            return {k: self.to_device(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.to_device(v) for v in value)
        return value


def raised(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> str | None:
    """Call `fn` and return the name of the exception it raised, or None if it returned.

    NotImplementedError goes through: an unfinished stub is "not implemented yet", not a wrong exception.
    """
    try:
        fn(*args, **kwargs)
    except NotImplementedError:
        raise
    except Exception as exc:
        return type(exc).__name__
    return None


@probe
def invoke(sub: Subject, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call `module.<name>(*args, **kwargs)` and return its result as is (tests and simple checks)."""
    return getattr(sub.module, name)(*sub.to_device(args), **sub.to_device(kwargs))
