"""Checks for exercise 01 (last-token pooling). Run in the judge; student code is reached only through probes."""

from __future__ import annotations

import torch

from grader.judge import check, expect, expect_close, expect_equal, fail

from . import probes

# ----------------------------------------------------------------------------------------------
# Inputs and the usual wrong answers, computed in the judge (trusted) from the inputs alone.


def _right_mask(lengths, length, dtype=torch.bool):
    pos = torch.arange(length)
    return (pos[None, :] < torch.tensor(lengths)[:, None]).to(dtype)


def _left_mask(lengths, length, dtype=torch.bool):
    pos = torch.arange(length)
    return (pos[None, :] >= length - torch.tensor(lengths)[:, None]).to(dtype)


def _rows(mask):
    return [[int(v) for v in row] for row in mask.tolist()]


def _pick(hidden, idx):
    return hidden[torch.arange(hidden.shape[0]), idx]


def _alt_length_minus_one(hidden, mask):
    """mask.sum(1) - 1: right for right padding only."""
    return _pick(hidden, (mask != 0).sum(1) - 1)


def _alt_last_position(hidden, mask):
    """hidden[:, -1]: ignores the mask."""
    return hidden[:, -1]


def _alt_first_real(hidden, mask):
    """argmax of the mask returns the FIRST real position."""
    return _pick(hidden, (mask != 0).int().argmax(1))


def _alt_first_pad_minus_one(hidden, mask):
    """(first padding position) - 1, or T - 1 for a full row: wrong when the mask has gaps."""
    real = mask != 0
    first_pad = (~real).int().argmax(1)
    idx = torch.where(real.all(1), real.shape[1] - 1, first_pad - 1)
    return _pick(hidden, idx)


_HINTS = {
    "length": "you selected position mask.sum(1) - 1, which is only right for right padding; "
              "find the last position where the mask is non-zero instead",
    "last": "you selected position T - 1 in every row, ignoring the mask",
    "first_real": "you selected the FIRST real token of each row (argmax returns the first maximum); "
                  "the task asks for the LAST one",
    "first_pad": "you selected 'first padding position - 1', which is wrong when a mask has gaps "
                 "(1 0 1 1 0 -> position 3, not 0)",
}


def _mistakes(hidden, mask, *which):
    table = {
        "length": _alt_length_minus_one,
        "last": _alt_last_position,
        "first_real": _alt_first_real,
        "first_pad": _alt_first_pad_minus_one,
    }
    return {_HINTS[k]: table[k](hidden, mask) for k in which}


def _call_text(hidden, mask):
    return (f"last_token(hidden of shape {list(hidden.shape)} ({str(hidden.dtype).removeprefix('torch.')}), "
            f"mask {_rows(mask)} ({str(mask.dtype).removeprefix('torch.')}))")


def _expect_result(got, want, what, mistakes=None, hint=None):
    """Compare a probes._describe() summary with the reference's: tensor, shape, device, dtype, exact values."""
    expect(got["is_tensor"], f"{what} should return a torch.Tensor, got {got.get('type')}")
    expect_equal(str(got["shape"]), str(want["shape"]), what=f"shape of {what}",
                 hint="the result must be [B, F]")
    expect_equal(got["device"], want["device"], what=f"device of {what}",
                 hint="keep the result on hidden's device (no .cpu(), create index tensors with device=...)")
    # Selecting copies values: the result must be bit-exact in every dtype.
    expect_close(got["out"], want["out"], what=what, rtol=0, atol=0, mistakes=mistakes, hint=hint)


def _compare(submission, reference, hidden, mask, mistakes=(), hint=None):
    got = submission.call(probes.select, hidden, mask)
    want = reference.call(probes.select, hidden, mask)
    _expect_result(got, want, _call_text(hidden, mask), _mistakes(hidden, mask, *mistakes), hint)


# ----------------------------------------------------------------------------------------------
# 01.1 validation


def _errors_text(cases, names, expected_text):
    lines = []
    for (hidden, mask), name in zip(cases, names):
        found = "returned without raising" if name is None else f"raised {name}"
        lines.append(f"  hidden {list(hidden.shape)}, mask {list(mask.shape)}: {found}, {expected_text}")
    return "\n".join(lines)


def _unchanged(after, before):
    """An input as the submission left it equals the judge's own copy of the original."""
    return isinstance(after, torch.Tensor) and after.dtype == before.dtype and after.shape == before.shape \
        and torch.equal(after, before)


def _one_per_case(got, cases):
    """A probe's per-case results, which must be one dict per case (anything else is not a result)."""
    expect(isinstance(got, list) and len(got) == len(cases) and all(isinstance(g, dict) for g in got),
           f"expected one result for each of the {len(cases)} calls, got {type(got).__name__}")
    return got


@check(task="01.1", points=1, visible=True, name="ValueError for a non-3-D hidden or a mask of the wrong shape")
def check_rejects_bad_shapes(submission, reference):
    invalid = [
        (torch.randn(2, 5), torch.ones(2, 5, dtype=torch.bool)),           # hidden 2-D
        (torch.randn(2, 5, 3, 1), torch.ones(2, 5, dtype=torch.bool)),     # hidden 4-D
        (torch.randn(2, 5, 3), torch.ones(2, 4, dtype=torch.bool)),        # mask too short
        (torch.randn(2, 5, 3), torch.ones(3, 5, dtype=torch.bool)),        # batch mismatch
        (torch.randn(2, 5, 3), torch.ones(5, 2, dtype=torch.bool)),        # transposed mask
        (torch.randn(2, 5, 3), torch.ones(2, 5, 1, dtype=torch.bool)),     # 3-D mask
        (torch.randn(2, 5, 3), torch.ones(10, dtype=torch.long)),          # flattened mask
    ]
    valid = [
        (torch.randn(2, 5, 3), _right_mask([5, 2], 5)),
        (torch.randn(1, 1, 1), torch.ones(1, 1, dtype=torch.long)),
    ]
    got = submission.call(probes.errors, invalid, valid)
    wrong = [i for i, name in enumerate(got["invalid"]) if name != "ValueError"]
    if wrong:
        fail("invalid shapes must raise ValueError:\n"
             + _errors_text([invalid[i] for i in wrong], [got["invalid"][i] for i in wrong],
                            "expected ValueError")
             + "\ncheck hidden.dim() == 3 and mask.shape == hidden.shape[:2] before anything else")
    spurious = [i for i, name in enumerate(got["valid"]) if name == "ValueError"]
    if spurious:
        fail("valid inputs must not raise ValueError:\n"
             + _errors_text([valid[i] for i in spurious], [got["valid"][i] for i in spurious],
                            "expected no ValueError"))


@check(task="01.1", points=1, visible=False, name="ValueError when some row of the mask has no real token")
def check_rejects_empty_rows(submission, reference):
    invalid = [
        (torch.randn(3, 4, 2), _right_mask([2, 0, 4], 4)),                     # middle row empty (bool)
        (torch.randn(3, 4, 2), _left_mask([4, 1, 0], 4, torch.long)),          # last row empty (int64)
        (torch.randn(1, 3, 2), torch.zeros(1, 3, dtype=torch.bool)),           # the only row empty
        (torch.randn(2, 1, 2), torch.tensor([[0], [1]], dtype=torch.int32)),   # T = 1
    ]
    valid = [
        (torch.randn(3, 4, 2), torch.tensor([[1, 0, 0, 0], [0, 0, 0, 1], [0, 1, 0, 0]])),
        (torch.randn(2, 1, 2), torch.ones(2, 1, dtype=torch.bool)),
    ]
    got = submission.call(probes.errors, invalid, valid)
    wrong = [i for i, name in enumerate(got["invalid"]) if name != "ValueError"]
    if wrong:
        lines = []
        for i in wrong:
            hidden, mask = invalid[i]
            name = got["invalid"][i]
            found = "returned without raising" if name is None else f"raised {name}"
            lines.append(f"  mask {_rows(mask)}: {found}, expected ValueError")
        fail("a mask row without any real token must raise ValueError:\n" + "\n".join(lines)
             + "\ncheck every row ((mask != 0).any(dim=1).all()), not the mask as a whole")
    spurious = [i for i, name in enumerate(got["valid"]) if name == "ValueError"]
    if spurious:
        lines = [f"  mask {_rows(valid[i][1])}: raised ValueError" for i in spurious]
        fail("rows with a single real token are valid and must not raise ValueError:\n" + "\n".join(lines))


# ----------------------------------------------------------------------------------------------
# 01.2 selection


@check(task="01.2", points=2, visible=True, name="Right padding: selects the last real token of each row")
def check_right_padding(submission, reference):
    hidden = torch.randn(6, 7, 5)
    mask = _right_mask([7, 1, 3, 5, 2, 6], 7)
    _compare(submission, reference, hidden, mask, mistakes=("last", "first_real"))


@check(task="01.2", points=2, visible=True, name="Left padding: selects the last real token of each row")
def check_left_padding(submission, reference):
    hidden = torch.randn(5, 6, 4)
    mask = _left_mask([2, 6, 1, 4, 3], 6)
    _compare(submission, reference, hidden, mask, mistakes=("length", "first_real"))


@check(task="01.2", points=2, visible=False, name="Masks with gaps: selects the last non-zero position")
def check_masks_with_gaps(submission, reference):
    fixed = torch.tensor([
        [1, 0, 1, 1, 0, 0, 0, 0],
        [0, 1, 0, 0, 0, 1, 0, 1],
        [1, 1, 1, 1, 1, 1, 1, 1],
        [0, 0, 0, 1, 0, 0, 0, 0],
        [1, 0, 0, 0, 0, 0, 0, 1],
        [1, 1, 0, 1, 1, 0, 1, 0],
    ], dtype=torch.bool)
    rand = torch.rand(6, 8) < 0.4
    rand[torch.arange(6), torch.randint(0, 8, (6,))] = True      # at least one real token per row
    mask = torch.cat([fixed, rand])
    hidden = torch.randn(mask.shape[0], 8, 3)
    _compare(submission, reference, hidden, mask, mistakes=("first_pad", "length", "last", "first_real"))


@check(task="01.2", points=1, visible=False, name="Integer 0/1 masks (int64, int32, uint8) work like bool masks")
def check_integer_masks(submission, reference):
    for dtype in (torch.int64, torch.int32, torch.uint8):
        hidden = torch.randn(4, 5, 3)
        mask = _right_mask([3, 5, 1, 4], 5, dtype)
        _compare(submission, reference, hidden, mask, mistakes=("last",))


@check(task="01.2", points=1, visible=False, name="float16, bfloat16 and float64 hidden states keep their dtype")
def check_low_and_high_precision(submission, reference):
    for dtype in (torch.float16, torch.bfloat16, torch.float64):
        hidden = torch.randn(4, 6, 5).to(dtype)
        mask = _right_mask([6, 2, 4, 1], 6)
        got = submission.call(probes.select, hidden, mask)
        want = reference.call(probes.select, hidden, mask)
        what = _call_text(hidden, mask)
        expect(got["is_tensor"], f"{what} should return a torch.Tensor, got {got.get('type')}")
        expect_equal(got["dtype"], want["dtype"], what=f"dtype of {what}",
                     hint="the result must have hidden's dtype: no .float(), and buffers need dtype=hidden.dtype")
        _expect_result(got, want, what)


@check(task="01.2", points=1, visible=True, name="B = 1, T = 1 and F = 1 give a result of shape [B, F]")
def check_small_shapes(submission, reference):
    cases = [
        (torch.randn(1, 4, 3), _right_mask([2], 4)),          # B = 1
        (torch.randn(3, 1, 2), torch.ones(3, 1, dtype=torch.bool)),   # T = 1
        (torch.randn(3, 4, 1), _right_mask([1, 4, 2], 4)),    # F = 1
        (torch.randn(1, 1, 1), torch.ones(1, 1, dtype=torch.long)),   # all three
    ]
    got = _one_per_case(submission.call(probes.select_many, cases), cases)
    want = reference.call(probes.select_many, cases)
    for (hidden, mask), g, w in zip(cases, got, want):
        what = _call_text(hidden, mask)
        expect(g["is_tensor"], f"{what} should return a torch.Tensor, got {g.get('type')}")
        b, f = hidden.shape[0], hidden.shape[2]
        squeezed = str([d for d in (b, f) if d != 1])
        expect_equal(str(g["shape"]), str([b, f]), what=f"shape of {what}",
                     mistakes={"did .squeeze() remove a size-1 dimension? Squeeze only the dimension you "
                               "mean (.squeeze(1)) or index without adding one": squeezed})
        _expect_result(g, w, what)


@check(task="01.2", points=2, visible=False, name="No Python loop over the batch")
def check_no_python_loop_over_batch(submission, reference):
    sizes = (2, 32)
    cases = []
    for b in sizes:
        lengths = torch.randint(1, 7, (b,)).tolist()
        cases.append((torch.randn(b, 6, 4), _right_mask(lengths, 6)))
    counts = submission.call(probes.torch_call_counts, cases)
    if counts[0] != counts[1]:
        fail(f"last_token made {counts[0]} torch calls for a batch of B={sizes[0]} and {counts[1]} for "
             f"B={sizes[1]}: the work grows with the batch size, so there is a Python loop (or a comprehension, "
             f"or torch.stack of per-row results) over the rows. Compute all rows at once: find every row's "
             f"last position with one tensor operation and select with advanced indexing or torch.gather.")


@check(task="01.2", points=1, visible=False, name="Gradients reach exactly the selected positions")
def check_gradients_reach_selected_positions(submission, reference):
    hidden = torch.randn(4, 5, 3)
    mask = _right_mask([5, 2, 1, 3], 5)
    weight = torch.randn(4, 3)
    got = submission.call(probes.gradient, hidden, mask, weight)
    want = reference.call(probes.gradient, hidden, mask, weight)
    what = _call_text(hidden, mask)
    expect(got["is_tensor"], f"{what} should return a torch.Tensor, got {got['type']}")
    if not got["requires_grad"] or got["grad"] is None:
        fail(f"the result of {what} for a hidden that requires grad does not require grad: no gradient can flow "
             f"back. Do not use .detach(), .data, torch.no_grad(), .numpy() or torch.tensor(...) on the result.")
    expect_close(got["grad"], want["grad"], what=f"hidden.grad after (last_token(hidden, mask) * w).sum().backward() "
                 f"for {what}", rtol=0, atol=0,
                 hint="the gradient must be w[b] at the selected position of row b and 0 everywhere else")


@check(task="01.2", points=1, visible=False, name="hidden and mask are not modified")
def check_inputs_not_modified(submission, reference):
    cases = [
        (torch.randn(3, 5, 2), _right_mask([4, 1, 5], 5)),
        (torch.randn(3, 5, 2), _right_mask([2, 5, 3], 5, torch.int64)),
        (torch.randn(3, 5, 2), _left_mask([3, 1, 5], 5, torch.int32)),
    ]
    got = _one_per_case(submission.call(probes.inputs_unchanged, cases), cases)
    for (hidden, mask), g in zip(cases, got):
        what = _call_text(hidden, mask)
        res = g["result"]
        expect(res["is_tensor"], f"{what} should return a torch.Tensor, got {res.get('type')}")
        expect_equal(str(res["shape"]), str([hidden.shape[0], hidden.shape[2]]), what=f"shape of {what}")
        if not _unchanged(g["hidden_after"], hidden):
            fail(f"{what} modified hidden in place; work on new tensors (no in-place ops such as "
                 f"masked_fill_, mul_, hidden[...] = ...)")
        if not _unchanged(g["mask_after"], mask):
            fail(f"{what} modified the caller's {str(mask.dtype).removeprefix('torch.')} mask in place. "
                 f"Note that mask.long() / mask.int() return the SAME tensor when mask already has that dtype, "
                 f"so a following *=, +=, [...] = writes into the caller's mask")


@check(task="01.2", points=1, visible=False, name="inf and NaN at non-selected positions do not leak into the result")
def check_padding_values_ignored(submission, reference):
    hidden = torch.randn(5, 6, 4)
    mask = _right_mask([6, 3, 1, 4, 6], 6)
    keep = torch.zeros(5, 6, dtype=torch.bool)
    keep[torch.arange(5), (mask.sum(1) - 1)] = True
    garbage = torch.tensor([float("nan"), float("inf"), float("-inf")]).repeat(5 * 6 * 4 // 3 + 1)[: 5 * 6 * 4]
    hidden = torch.where(keep[..., None], hidden, garbage.reshape(5, 6, 4))
    got = submission.call(probes.select, hidden, mask)
    want = reference.call(probes.select, hidden, mask)
    _expect_result(got, want, f"{_call_text(hidden, mask)} with inf/NaN at every position except the selected ones",
                   hint="values at non-selected positions must not matter; multiplying by a 0/1 mask and summing "
                        "turns 0 * inf into NaN. Select the positions (advanced indexing, torch.gather) instead")
