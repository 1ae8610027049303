"""Check assertions: right verdicts, with messages that say shape, dtype, error and where."""

from __future__ import annotations

import pytest
import torch

from grader.judge import CheckFailure, expect, expect_close, expect_equal, fail


def message_of(fn, *args, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        fn(*args, **kwargs)
    return str(info.value.message)


def test_close_tensors_pass_and_report_nothing():
    a = torch.randn(5, 5)
    expect_close(a + 1e-7, a, what="x")


def test_mismatch_names_shape_dtype_error_and_where():
    want = torch.zeros(2, 3)
    got = want.clone()
    got[1, 2] = 0.5
    msg = message_of(expect_close, got, want, what="output")
    assert "output" in msg and "1 of 6 values differ" in msg and "[1, 2]" in msg
    assert "got 0.5, expected 0" in msg and "max abs error 0.5" in msg and "[2, 3]" in msg and "float32" in msg


def test_shape_and_dtype_mismatches_come_first():
    assert "shape [3], expected [1, 3]" in message_of(expect_close, torch.zeros(3), torch.zeros(1, 3), what="w")
    assert "dtype float32, expected float64" in message_of(expect_close, torch.zeros(3), torch.zeros(3, dtype=torch.float64), what="w")


def test_low_precision_is_compared_with_its_own_tolerance():
    exact = torch.linspace(-3, 3, 101, dtype=torch.float32)
    half = exact.half()
    expect_close(half, exact.half(), what="fp16")
    expect_close(exact.bfloat16().float(), exact, what="bf16 vs fp32", rtol=1.6e-2, atol=1e-5)
    with pytest.raises(CheckFailure):
        expect_close(exact.bfloat16().float(), exact, what="bf16 rounding is not fp32 accuracy")


def test_nan_where_a_number_was_expected_fails():
    assert "differ" in message_of(expect_close, torch.tensor([float("nan")]), torch.tensor([1.0]), what="x")


def test_mistake_hints_are_matched_against_the_actual_value():
    want = [0.3364, 0.3068]
    no_reset = [0.3364, 0.3212]
    msg = message_of(expect_close, [0.3364, 0.3212], want, what="losses",
                     mistakes={"did you reset the gradients?": no_reset, "sum instead of mean?": [1.0, 2.0]})
    assert "losses[1]: got 0.3212, expected 0.3068" in msg and "did you reset the gradients?" in msg
    assert "sum instead of mean" not in msg


def test_containers_numbers_and_exact_equality():
    expect_close({"a": [1.0, (2.0, torch.ones(2))]}, {"a": [1.0, (2.0, torch.ones(2))]}, what="d")
    assert "length 2, expected 3" in message_of(expect_close, [1, 2], [1, 2, 3], what="l")
    assert "keys" in message_of(expect_equal, {"a": 1}, {"b": 1}, what="d")
    assert "got True, expected False" in message_of(expect_equal, True, False, what="flag")
    assert "expected a number" in message_of(expect_close, "0.5", 0.5, what="n")
    with pytest.raises(CheckFailure):
        expect_equal(torch.tensor([1.0]), torch.tensor([1.0 + 1e-6]), what="exact")


def test_expect_and_fail():
    expect(True, "fine")
    assert message_of(expect, False, "it broke") == "it broke"
    assert message_of(fail, "no") == "no"


def test_mistake_values_may_be_computed_lazily():
    calls = []

    def costly():
        calls.append(1)
        return [2.0]

    expect_close([1.0], [1.0], what="x", mistakes={"hint": costly})
    assert calls == []
    assert "(hint)" in message_of(expect_close, [2.0], [1.0], what="x", mistakes={"hint": costly})
    assert calls == [1]


def test_close_float64_values_are_printed_with_the_digits_that_differ():
    msg = message_of(expect_close, torch.tensor([2.0624712], dtype=torch.float64),
                     torch.tensor([2.0624701], dtype=torch.float64), what="x")
    assert "got 2.062471, expected 2.06247" in msg
