"""The `@check` decorator: what a check is worth and how it is shown to students."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

ATTRIBUTE = "__grader_check__"


@dataclass(frozen=True)
class CheckInfo:
    task: str       # the task id shared with the stub's TODO and NotImplementedError, e.g. "05.1"
    points: int
    visible: bool
    name: str       # student-facing title
    # Ids of the checks whose behaviour this one qualifies (determinism, inputs untouched, rules,
    # gradcheck...): it earns its points only when all of them passed, so doing nothing earns nothing.
    # "a|b" is one requirement met by either check (a behaviour that can be shown in two ways).
    requires: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return dict(asdict(self), requires=list(self.requires))


def check(*, task: str, points: int, visible: bool, name: str,
          requires: tuple[str, ...] | list[str] = ()) -> Callable[[Callable], Callable]:
    if points < 1:
        raise ValueError("a check is worth at least 1 point")
    info = CheckInfo(task=task, points=points, visible=visible, name=name, requires=tuple(requires))

    def mark(fn: Callable) -> Callable:
        setattr(fn, ATTRIBUTE, info)
        return fn

    return mark


def info_of(fn: Any) -> CheckInfo | None:
    return getattr(fn, ATTRIBUTE, None)
