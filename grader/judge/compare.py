"""Assertions for checks, with messages a student can act on.

Tensors are compared with dtype-aware tolerances (the less precise of the two dtypes decides),
and a mismatch reports shape, dtype, the largest absolute and relative error and where it is.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Mapping
from typing import Any

import torch

from grader.i18n import Text, _

# (rtol, atol) by the less precise dtype of the two sides, as in torch.testing.
_TOLERANCES = {
    torch.float16: (1e-3, 1e-5), torch.bfloat16: (1.6e-2, 1e-5), torch.float32: (1.3e-6, 1e-5),
    torch.float64: (1e-7, 1e-7), torch.complex64: (1.3e-6, 1e-5), torch.complex128: (1e-7, 1e-7),
}
_PRECISION = [torch.bfloat16, torch.float16, torch.float32, torch.float64]


class CheckFailure(AssertionError):
    """A check's expectation was not met; `details` holds structured facts for the report."""

    def __init__(self, message: Text, details: dict[str, Any] | None = None):
        super().__init__(str(message))
        self.message = message
        self.details = details or {}


def fail(message: Text, details: dict[str, Any] | None = None) -> None:
    raise CheckFailure(message, details)


def expect(condition: Any, message: Text) -> None:
    if not condition:
        fail(message)


def tolerances(a: torch.dtype, b: torch.dtype) -> tuple[float, float]:
    ranked = [d for d in (a, b) if d in _PRECISION]
    loosest = min(ranked, key=_PRECISION.index) if ranked else a
    return _TOLERANCES.get(loosest, (0.0, 0.0))


_REPR = reprlib.Repr()
_REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict, _REPR.maxlevel = 80, 80, 8, 8, 8, 3


def _short(value: Any) -> str:
    """A repr of student data for a message: bounded, however large the value."""
    try:
        return _REPR.repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


def _plain(x: Any) -> float | int | str:
    """A tensor element as a report can hold it: a number, or a string for a complex one."""
    if isinstance(x, complex):
        return f"{x:.6g}"
    return x


def _fmt(x: float | int | str, other: float | int | str | None = None) -> str:
    """6 significant digits, or as many as it takes (up to 17) to tell `x` from `other`."""
    if isinstance(x, str) or isinstance(other, str):
        return str(x)
    for digits in range(6, 18):
        text = f"{x:.{digits}g}"
        if other is None or text != f"{other:.{digits}g}":
            return text
    return text


def _shape(t: torch.Tensor) -> str:
    return "[" + ", ".join(map(str, t.shape)) + "]"


def tensor_mismatch(actual: torch.Tensor, expected: torch.Tensor, rtol: float, atol: float) -> dict[str, Any] | None:
    """None when close; otherwise the facts of the worst mismatch (both must have one shape)."""
    wide = torch.complex128 if actual.is_complex() or expected.is_complex() else torch.float64
    a, e = actual.detach().to(wide), expected.detach().to(wide)
    close = torch.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    if bool(close.all()):
        return None
    abs_err = (a - e).abs()
    abs_err = torch.where(close, torch.zeros_like(abs_err), abs_err.nan_to_num(nan=math.inf))
    rel_err = abs_err / e.abs().clamp_min(1e-300)
    flat = int(abs_err.argmax())
    where = [int(i) for i in torch.unravel_index(torch.tensor(flat), a.shape)] if a.dim() else []
    return {
        "shape": _shape(expected), "dtype": str(actual.dtype).removeprefix("torch."),
        "mismatched": int((~close).sum()), "total": close.numel(),
        "max_abs_error": float(abs_err.max()), "max_rel_error": float(rel_err.max()),
        "where": where, "actual_value": _plain(a.reshape(-1)[flat].item()), "expected_value": _plain(e.reshape(-1)[flat].item()),
        "rtol": rtol, "atol": atol,
    }


def _values_match(actual: Any, expected: Any, rtol: float | None, atol: float | None, check_dtype: bool) -> bool:
    try:
        _compare(actual, expected, "", rtol, atol, check_dtype)
    except CheckFailure:
        return False
    return True


def _hint_for(actual: Any, mistakes: Mapping[Any, Any] | None, rtol: float | None, atol: float | None) -> Text:
    for hint, alternative in (mistakes or {}).items():
        if callable(alternative):  # computed only when a check fails: simulating mistakes can be costly
            alternative = alternative()
        if _values_match(actual, alternative, rtol, atol, check_dtype=False):
            return hint
    return ""


def _compare(actual: Any, expected: Any, what: Text, rtol: float | None, atol: float | None, check_dtype: bool) -> None:
    if isinstance(expected, torch.Tensor):
        if not isinstance(actual, torch.Tensor):
            fail(_("{what}: expected a tensor, got {type}", what=what, type=type(actual).__name__))
        if actual.shape != expected.shape:
            fail(_("{what}: shape {actual}, expected {expected}", what=what, actual=_shape(actual), expected=_shape(expected)),
                 {"actual_shape": _shape(actual), "expected_shape": _shape(expected)})
        if check_dtype and actual.dtype != expected.dtype:
            fail(_("{what}: dtype {actual}, expected {expected}", what=what, actual=str(actual.dtype).removeprefix("torch."),
                   expected=str(expected.dtype).removeprefix("torch.")),
                 {"actual_dtype": str(actual.dtype), "expected_dtype": str(expected.dtype)})
        if expected.dtype == torch.bool or not (expected.is_floating_point() or expected.is_complex()):
            r, a = 0.0, 0.0
        else:
            r, a = tolerances(actual.dtype, expected.dtype)
        r, a = (rtol if rtol is not None else r), (atol if atol is not None else a)
        bad = tensor_mismatch(actual, expected, r, a)
        if bad:
            at = "[" + ", ".join(map(str, bad["where"])) + "]"
            got, want = bad["actual_value"], bad["expected_value"]
            fail(_("{what}: {mismatched} of {total} values differ; at {at} got {got}, expected {expected} "
                   "(max abs error {abs_error}, max rel error {rel_error}; shape {shape}, {dtype})",
                   what=what, mismatched=str(bad["mismatched"]), total=str(bad["total"]), at=at, got=_fmt(got, want),
                   expected=_fmt(want, got), abs_error=f"{bad['max_abs_error']:.3g}",
                   rel_error=f"{bad['max_rel_error']:.3g}", shape=bad["shape"], dtype=bad["dtype"]), bad)
        return
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        if actual != expected or type(actual) is not type(expected):
            fail(_("{what}: got {actual}, expected {expected}", what=what, actual=_short(actual), expected=_short(expected)))
        return
    if isinstance(expected, (int, float)):
        if isinstance(actual, bool) or not isinstance(actual, (int, float)):
            fail(_("{what}: expected a number, got {type} ({actual})", what=what, type=type(actual).__name__,
                   actual=_short(actual)))
        r = rtol if rtol is not None else 1.3e-6
        a = atol if atol is not None else 1e-5
        if not (math.isclose(actual, expected, rel_tol=r, abs_tol=a) or (math.isnan(actual) and math.isnan(expected))):
            fail(_("{what}: got {actual}, expected {expected} (error {error})", what=what, actual=_fmt(actual, expected),
                   expected=_fmt(expected, actual), error=f"{abs(actual - expected):.3g}"),
                 {"actual_value": actual, "expected_value": expected})
        return
    if isinstance(expected, (list, tuple)):
        if not isinstance(actual, (list, tuple)):
            fail(_("{what}: expected a {expected}, got {actual}", what=what, expected=type(expected).__name__,
                   actual=type(actual).__name__))
        if len(actual) != len(expected):
            fail(_("{what}: length {actual}, expected {expected}", what=what, actual=str(len(actual)), expected=str(len(expected))),
                 {"actual_length": len(actual), "expected_length": len(expected)})
        for i, (x, y) in enumerate(zip(actual, expected)):
            _compare(x, y, _("{what}[{index}]", what=what, index=str(i)), rtol, atol, check_dtype)
        return
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            fail(_("{what}: expected a dict, got {type}", what=what, type=type(actual).__name__))
        if set(actual) != set(expected):
            fail(_("{what}: keys {actual}, expected {expected}", what=what, actual=_short(sorted(actual)),
                   expected=_short(sorted(expected))))
        for k in expected:
            _compare(actual[k], expected[k], _("{what}[{index}]", what=what, index=repr(k)), rtol, atol, check_dtype)
        return
    if actual != expected:
        fail(_("{what}: got {actual}, expected {expected}", what=what, actual=_short(actual), expected=_short(expected)))


def _with_hints(exc: CheckFailure, actual: Any, mistakes: Mapping[Any, Any] | None, hint: Text | None,
                rtol: float | None, atol: float | None) -> CheckFailure:
    extra = [h for h in (_hint_for(actual, mistakes, rtol, atol), hint) if h]
    if extra:
        exc.message = _("{message} ({hints})", message=exc.message, hints=tuple(extra))
        exc.args = (str(exc.message),)
    return exc


def expect_close(actual: Any, expected: Any, *, what: Text, rtol: float | None = None, atol: float | None = None,
                 check_dtype: bool = True, mistakes: Mapping[Any, Any] | None = None, hint: Text | None = None) -> None:
    """Tensors, numbers and containers of them, equal within dtype-aware tolerances.

    `mistakes` maps a hint to the value a known mistake would give (or a function computing it,
    called only on failure); the hint of the first one the actual value matches is appended.
    """
    try:
        _compare(actual, expected, what, rtol, atol, check_dtype)
    except CheckFailure as exc:
        raise _with_hints(exc, actual, mistakes, hint, rtol, atol) from None


def expect_equal(actual: Any, expected: Any, *, what: Text, mistakes: Mapping[Any, Any] | None = None,
                 hint: Text | None = None) -> None:
    """Exact equality (tensors bit-for-bit in value, with equal shape and dtype)."""
    try:
        _compare(actual, expected, what, 0.0, 0.0, True)
    except CheckFailure as exc:
        raise _with_hints(exc, actual, mistakes, hint, 0.0, 0.0) from None
