"""Checks for exercise 01 (last-token pooling). Run in the judge; student code is reached only through probes."""

from __future__ import annotations

import torch

from grader.i18n import Msg, _, lines
from grader.judge import Policy, check, expect, expect_close, expect_equal, expect_policy, fail
from grader.judge.contract import describe_variant, expect_inputs_untouched
from grader.judge.policy import describe

from . import probes
from .loops import loop_violations

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


def _alt_positions_in_dtype(hidden, mask):
    """Positions built in hidden's dtype (arange(T, dtype=hidden.dtype)): float16 and bfloat16 round
    large integers, so the selected position is off by one or two; None when it falls outside [0, T)."""
    positions = torch.arange(mask.shape[1]).to(hidden.dtype)
    last = torch.where(mask != 0, positions, -1).amax(1).long()
    return _pick(hidden, last) if bool((last < mask.shape[1]).all()) else None


_HINTS = {
    "length": _("you selected position mask.sum(1) - 1, which is only right for right padding; "
                "find the last position where the mask is non-zero instead"),
    "last": _("you selected position T - 1 in every row, ignoring the mask"),
    "first_real": _("you selected the FIRST real token of each row (argmax returns the first maximum); "
                    "the task asks for the LAST one"),
    "first_pad": _("you selected 'first padding position - 1', which is wrong when a mask has gaps "
                   "(1 0 1 1 0 -> position 3, not 0)"),
    "dtype_positions": _("you computed the positions in hidden's floating dtype: float16 holds integers exactly "
                         "only up to 2048 and bfloat16 only up to 256, so a long row selects a neighbouring position"),
}


def _mistakes(hidden, mask, *which):
    table = {
        "length": _alt_length_minus_one,
        "last": _alt_last_position,
        "first_real": _alt_first_real,
        "first_pad": _alt_first_pad_minus_one,
        "dtype_positions": _alt_positions_in_dtype,
    }
    found = {_HINTS[k]: table[k](hidden, mask) for k in which}
    return {hint: value for hint, value in found.items() if value is not None}


def _call_text(hidden, mask, hidden_variant=None, mask_variant=None):
    """The call in the student's terms; long masks are described by their shape, not their rows."""
    mask_text = str(_rows(mask)) if mask.numel() <= 64 else _("of shape {shape}", shape=list(mask.shape))
    h_how = _(" as {variant}", variant=describe_variant(hidden_variant)) if hidden_variant else ""
    m_how = _(" as {variant}", variant=describe_variant(mask_variant)) if mask_variant else ""
    return _("last_token(hidden of shape {shape} ({dtype}){hidden_how}, mask {mask} ({mask_dtype}){mask_how})",
             shape=list(hidden.shape), dtype=str(hidden.dtype).removeprefix("torch."), hidden_how=h_how, mask=mask_text,
             mask_dtype=str(mask.dtype).removeprefix("torch."), mask_how=m_how)


def _expect_result(got, want, what, mistakes=None, hint=None, check_dtype=True):
    """Compare a probes._describe() summary with the reference's: tensor, shape, device, dtype, exact values."""
    expect(isinstance(got, dict) and got.get("is_tensor") is True,
           _("{what} should return a torch.Tensor, got {type}", what=what, type=got.get('type') if isinstance(got, dict) else type(got).__name__))
    expect_equal(str(got["shape"]), str(want["shape"]), what=_("shape of {what}", what=what),
                 hint=_("the result must be [B, F]"))
    expect_equal(got["device"], want["device"], what=_("device of {what}", what=what),
                 hint=_("keep the result on hidden's device (no .cpu(), create index tensors with device=...)"))
    # Selecting copies values: the result must be bit-exact in every dtype.
    expect_close(got["out"], want["out"], what=what, rtol=0, atol=0, mistakes=mistakes, hint=hint,
                 check_dtype=check_dtype)


_NAMES = {"args[0]": "hidden", "args[1]": "mask"}


def _observed(report, what, hint=None):
    """One report of probes.observe_calls: the observation, or a failure naming what the call raised."""
    expect(isinstance(report, dict), _("{what}: expected a report of the call, got {name}", what=what, name=type(report).__name__))
    if "raised" in report:
        where = _(" (at {line})", line=report["line"]) if isinstance(report.get("line"), str) else ""
        raised = _("{what} raised {error}{where}: {message}", what=what, error=str(report["raised"]), where=where,
                   message=str(report.get("message")))
        fail(_("{message} ({hint})", message=raised, hint=hint) if hint else raised)
    return report


def _expect_output(report, want, what, mistakes=None, hint=None, check_dtype=True):
    """A call's output, observed through the contract harness, equals the reference's exactly."""
    _expect_result(_observed(report, what, hint).get("output"), want, what, mistakes, hint, check_dtype)


def _compare(submission, reference, hidden, mask, mistakes=(), hint=None):
    got = submission.call(probes.select, hidden, mask)
    want = reference.call(probes.select, hidden, mask)
    _expect_result(got, want, _call_text(hidden, mask), _mistakes(hidden, mask, *mistakes), hint)


# ----------------------------------------------------------------------------------------------
# 01.1 validation


def _case_text(hidden, mask, rows):
    # argument names and values: code, the same in every language
    return f"mask {_rows(mask)}" if rows else f"hidden {list(hidden.shape)}, mask {list(mask.shape)}"


def _expect_errors(got, invalid, valid, *, rows, invalid_rule, valid_rule):
    """Both last_token and validate_inputs raise ValueError on every invalid case and on no valid one.

    `got` is probes.errors' report: exception names per case (None: returned normally).
    """
    keys = ("invalid", "valid", "validate_invalid", "validate_valid")
    sizes = (len(invalid), len(valid)) * 2
    expect(isinstance(got, dict) and all(isinstance(got.get(k), list) and len(got[k]) == n for k, n in zip(keys, sizes)),
           _("expected the exception of each of the {value} calls, got {name}", value=len(invalid) + len(valid), name=type(got).__name__))
    problems: list[tuple[str, bool, Msg]] = []  # (function, an invalid case accepted?, what happened)
    for fn, key_bad, key_good in (("validate_inputs", "validate_invalid", "validate_valid"),
                                  ("last_token", "invalid", "valid")):
        for (hidden, mask), name in zip(invalid, got[key_bad]):
            if name != "ValueError":
                problems.append((fn, True, _("  {function}: {case}: returned without raising, expected ValueError",
                                             function=fn, case=_case_text(hidden, mask, rows)) if name is None else
                                 _("  {function}: {case}: raised {error}, expected ValueError", function=fn,
                                   case=_case_text(hidden, mask, rows), error=str(name))))
        for (hidden, mask), name in zip(valid, got[key_good]):
            if name == "ValueError":
                problems.append((fn, False, _("  {function}: {case} is valid but raised ValueError", function=fn,
                                              case=_case_text(hidden, mask, rows))))
    if problems:
        rule = invalid_rule if any(accepted for _fn, accepted, _text in problems) else valid_rule
        listed = lines(text for _fn, _accepted, text in problems[:8])
        functions = {fn for fn, _accepted, _text in problems}
        if functions == {"last_token"}:
            fail(_("{rule}:\n{problems}\n(last_token must call validate_inputs first)", rule=rule, problems=listed))
        fail(_("{rule}:\n{problems}", rule=rule, problems=listed))


def _one_per_case(got, cases):
    """A probe's per-case results, which must be one dict per case (anything else is not a result)."""
    expect(isinstance(got, list) and len(got) == len(cases) and all(isinstance(g, dict) for g in got),
           _("expected one result for each of the {n_cases} calls, got {name}", n_cases=len(cases), name=type(got).__name__))
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
    _expect_errors(submission.call(probes.errors, invalid, valid), invalid, valid, rows=False,
                   invalid_rule=_("invalid shapes must raise ValueError (check hidden.dim() == 3 and "
                                "mask.shape == hidden.shape[:2] before anything else)"),
                   valid_rule=_("valid inputs must not raise ValueError"))


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
    _expect_errors(submission.call(probes.errors, invalid, valid), invalid, valid, rows=True,
                   invalid_rule=_("a mask row without any real token must raise ValueError; check every row "
                                "((mask != 0).any(dim=1).all()), not the mask as a whole"),
                   valid_rule=_("rows with a single real token are valid and must not raise ValueError"))


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


@check(task="01.2", points=1, visible=False,
       name="Integer 0/1 masks (int64, int32, uint8, int8) work like bool masks, also past position 255")
def check_integer_masks(submission, reference):
    for dtype in (torch.int64, torch.int32, torch.uint8):
        hidden = torch.randn(4, 5, 3)
        mask = _right_mask([3, 5, 1, 4], 5, dtype)
        _compare(submission, reference, hidden, mask, mistakes=("last",))
    # Last positions 257 and 299: positions computed in the mask's 8-bit dtype wrap around to 1 and 43.
    for dtype, lengths in ((torch.uint8, [258, 300, 3]), (torch.int8, [300, 3, 258])):
        hidden = torch.randn(3, 300, 2)
        _compare(submission, reference, hidden, _right_mask(lengths, 300, dtype), mistakes=("last", "first_real"),
                 hint=_("T = 300 here: positions must be computed in a dtype that holds them (not the mask's 8-bit dtype, which stops at 255 or 127); torch.arange(T, device=...) gives int64"))


@check(task="01.2", points=1, visible=False, name="float16, bfloat16 and float64 hidden states keep their dtype")
def check_low_and_high_precision(submission, reference):
    for dtype in (torch.float16, torch.bfloat16, torch.float64):
        hidden = torch.randn(4, 6, 5).to(dtype)
        mask = _right_mask([6, 2, 4, 1], 6)
        got = submission.call(probes.select, hidden, mask)
        want = reference.call(probes.select, hidden, mask)
        what = _call_text(hidden, mask)
        expect(got["is_tensor"], _("{what} should return a torch.Tensor, got {type}", what=what, type=got.get('type')))
        expect_equal(got["dtype"], want["dtype"], what=_("dtype of {what}", what=what),
                     hint=_("the result must have hidden's dtype: no .float(), and buffers need dtype=hidden.dtype"))
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
        expect(g["is_tensor"], _("{what} should return a torch.Tensor, got {type}", what=what, type=g.get('type')))
        b, f = hidden.shape[0], hidden.shape[2]
        squeezed = str([d for d in (b, f) if d != 1])
        expect_equal(str(g["shape"]), str([b, f]), what=_("shape of {what}", what=what),
                     mistakes={_("did .squeeze() remove a size-1 dimension? Squeeze only the dimension you mean (.squeeze(1)) or index without adding one"): squeezed})
        _expect_result(g, w, what)


# Hiding work from the run-time counter (torch._C.DisableTorchFunction, popped modes) or reaching
# names without writing them: the spec forbids both, so the rule can be decided from the source.
_HIDING = Policy(forbidden={
    "torch.overrides": _("torch.overrides can switch off what the grader observes"),
    "torch.utils._python_dispatch": _("torch's private internals can switch off what the grader observes"),
})


@check(task="01.2", points=2, visible=False, name="No Python loop over the batch", requires=("right_padding",))
def check_no_python_loop_over_batch(submission, reference):
    # The rule is decided on the source (it cannot be forged); the run-time count is a second signal.
    loops = loop_violations(submission.source)
    if loops:
        fail(_("the spec allows no Python loop in last_token, validate_inputs or the functions they call (compute all rows at once with tensor operations): {loops}", loops=describe(loops)),
             {"violations": [{"file": v.file, "line": v.line, "name": str(v.name), "reason": str(v.reason)} for v in loops[:20]]})
    expect_policy(submission.source, _HIDING,
                  rule=_("your code must not hide what it does from the grader (torch's private internals such as torch._C, computed getattr, exec/eval, __import__)"))
    sizes = (2, 32)
    cases = []
    for b in sizes:
        lengths = torch.randint(1, 7, (b,)).tolist()
        cases.append((torch.randn(b, 6, 4), _right_mask(lengths, 6)))
    counts = submission.call(probes.torch_call_counts, cases)
    expect(isinstance(counts, list) and len(counts) == 2 and all(isinstance(c, int) for c in counts),
           _("expected two operation counts, got {name}", name=type(counts).__name__))
    if counts[0] != counts[1]:
        fail(_("last_token made {counts} torch calls for a batch of B={sizes} and {counts2} for B={sizes2}: the work grows with the batch size, so something runs once per row (torch.stack of per-row results, or a torch function that iterates in Python). Compute all rows at once: find every row's last position with one tensor operation and select with advanced indexing or torch.gather.", counts=counts[0], sizes=sizes[0], counts2=counts[1], sizes2=sizes[1]))


@check(task="01.2", points=1, visible=False, name="Gradients reach exactly the selected positions")
def check_gradients_reach_selected_positions(submission, reference):
    hidden = torch.randn(4, 5, 3)
    mask = _right_mask([5, 2, 1, 3], 5)
    weight = torch.randn(4, 3)
    got = submission.call(probes.gradient, hidden, mask, weight)
    want = reference.call(probes.gradient, hidden, mask, weight)
    what = _call_text(hidden, mask)
    expect(got["is_tensor"], _("{what} should return a torch.Tensor, got {type}", what=what, type=got['type']))
    if not got["requires_grad"] or got["grad"] is None:
        fail(_("the result of {what} for a hidden that requires grad does not require grad: no gradient can flow back. Do not use .detach(), .data, torch.no_grad(), .numpy() or torch.tensor(...) on the result.", what=what))
    expect_close(got["grad"], want["grad"], what=_("hidden.grad after (last_token(hidden, mask) * w).sum().backward() for {what}", what=what), rtol=0, atol=0,
                 hint=_("the gradient must be w[b] at the selected position of row b and 0 everywhere else"))


@check(task="01.2", points=1, visible=False, name="hidden and mask are not modified, not even temporarily",
       requires=("right_padding",))
def check_inputs_not_modified(submission, reference):
    grad = {"requires_grad": True}
    cases = [
        (torch.randn(3, 5, 2), _right_mask([4, 1, 5], 5), None, None),
        (torch.randn(3, 5, 2), _right_mask([2, 5, 3], 5, torch.int64), None, None),
        (torch.randn(3, 5, 2), _left_mask([3, 1, 5], 5, torch.int32), grad, None),
        (torch.randn(3, 5, 2), _right_mask([5, 2, 4], 5, torch.int64), grad, None),
        (torch.randn(3, 5, 2), _right_mask([1, 3, 5], 5, torch.int64), {"layout": "noncontiguous"},
         {"layout": "noncontiguous"}),
    ]
    reports = _one_per_case(submission.call(probes.observe_calls, cases), cases)
    ran = [(case, r) for case, r in zip(cases, reports) if "raised" not in r]
    if not ran:  # nothing to inspect: say why
        _observed(reports[0], _call_text(*cases[0]))
    for (hidden, mask, hv, mv), report in ran:
        # "not even temporarily": values, shape, dtype, the version counter, and no .grad left on hidden
        expect_inputs_untouched(report, what=_call_text(hidden, mask, hv, mv), names=_NAMES)


@check(task="01.2", points=1, visible=False,
       name="Non-contiguous views of hidden and mask, with and without requires_grad")
def check_noncontiguous_inputs(submission, reference):
    view = {"layout": "noncontiguous"}
    view_grad = {"layout": "noncontiguous", "requires_grad": True}
    hidden = torch.randn(4, 6, 3)
    # float32, a right-padded bool mask: this check is about the layout only (dtypes, integer masks
    # and padding have checks of their own).
    mask = _right_mask([2, 6, 1, 4], 6)
    cases = [
        (hidden, mask, view, None),
        (hidden, mask, None, view),
        (hidden, mask, view_grad, view),
        (hidden, _right_mask([6, 3, 3, 1], 6), {"requires_grad": True}, view),
    ]
    reports = _one_per_case(submission.call(probes.observe_calls, cases), cases)
    for (h, m, hv, mv), report in zip(cases, reports):
        what = _call_text(h, m, hv, mv)
        if isinstance(report, dict) and "raised" in report and "view" in str(report.get("message", "")):
            fail(_("{what} raised {raised}: {message}. A transposed or sliced tensor cannot always be .view()ed: use .reshape(), or index without reshaping", what=what, raised=report['raised'], message=str(report.get('message')).rstrip('.')))
        want = reference.call(probes.select, h, m)
        _expect_output(report, want, what, _mistakes(h, m, "last", "first_real"), check_dtype=False)


@check(task="01.2", points=1, visible=False,
       name="Long sequences: positions past 256 in bfloat16 and past 2048 in float16")
def check_long_sequences(submission, reference):
    # Right padding and bool masks, so that only the length of the rows matters here; the last
    # positions are 257 and 259 (bfloat16 rounds them to 256 and 260) and 2049 and 2051
    # (float16: 2048 and 2052).
    cases = [
        (torch.randn(4, 300, 3).to(torch.bfloat16), _right_mask([258, 260, 1, 133], 300), None, None),
        (torch.randn(3, 2100, 2).to(torch.float16), _right_mask([2050, 2052, 7], 2100), None, None),
    ]
    reports = _one_per_case(submission.call(probes.observe_calls, cases), cases)
    for (h, m, hv, mv), report in zip(cases, reports):
        what = _call_text(h, m, hv, mv)
        want = reference.call(probes.select, h, m)
        _expect_output(report, want, what, _mistakes(h, m, "dtype_positions", "last", "first_real"),
                       hint=_("T = {value} here: compute positions in an integer dtype (torch.arange(T, device=...)), not in hidden's {dtype}", value=m.shape[1], dtype=str(h.dtype).removeprefix('torch.')),
                       check_dtype=False)  # the values are this check's business; the dtype is low_and_high_precision's


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
    _expect_result(got, want, _("{call} with inf/NaN at every position except the selected ones", call=_call_text(hidden, mask)),
                   hint=_("values at non-selected positions must not matter; multiplying by a 0/1 mask and summing turns 0 * inf into NaN. Select the positions (advanced indexing, torch.gather) instead"))
