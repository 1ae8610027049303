"""Checks for exercise 02 (Swish with a hand-written backward).

Oracles: F.silu and its autograd gradient (computed here, in the judge), formulas for the
common mistakes, and the reference solution where only plain facts are compared.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from grader.i18n import Msg, _
from grader.judge import check, expect, expect_close, expect_equal, fail
from grader.judge.contract import describe_variant, expect_inputs_untouched, variants

from . import probes, rules

# --------------------------------------------------------------------------- oracles


def silu_and_grad(x: torch.Tensor, g: torch.Tensor, dtype: torch.dtype = torch.float64):
    """F.silu(x) and g * silu'(x), computed in `dtype` (float64 by default: an exact-enough oracle)."""
    xx = x.detach().to(dtype).requires_grad_()
    y = F.silu(xx)
    y.backward(g.to(dtype))
    return y.detach(), xx.grad


def forward_mistakes(x: torch.Tensor) -> dict[Msg, torch.Tensor]:
    x = x.double()
    return {
        _("this is sigmoid(x); Swish is x * sigmoid(x)"): torch.sigmoid(x),
        _("this is x * sigmoid(1.702 x), the GELU approximation; Swish uses sigmoid(x) (beta = 1)"): x
        * torch.sigmoid(1.702 * x),
        _("this is x * sigmoid(2x): Swish uses sigmoid(x) (beta = 1)"): x * torch.sigmoid(2 * x),
        _("this is x * sigmoid(-x): check the sign inside the sigmoid"): x * torch.sigmoid(-x),
    }


def backward_mistakes(x: torch.Tensor, g: torch.Tensor) -> dict[Msg, torch.Tensor]:
    x, g = x.double(), g.double()
    s = torch.sigmoid(x)
    d = s * (1 + x * (1 - s))
    return {
        _("this is grad_output * s * (1 - s), the derivative of sigmoid alone; Swish's derivative is "
          "s * (1 + x * (1 - s))"): g * s * (1 - s),
        _("this is swish'(x) without grad_output: multiply by grad_output (chain rule)"): d,
        _("this is grad_output * s * (1 - x * (1 - s)): sign error, it is 1 + x * (1 - s)"): g * s * (1 - x * (1 - s)),
        _("this is grad_output * s: the product rule also needs the x * s * (1 - s) term"): g * s,
        _("this is grad_output * x * s * (1 - s): the product rule also needs the s term"): g * x * s * (1 - s),
        _("this is x * sigmoid(1.702 x)'s gradient: Swish uses sigmoid(x) (beta = 1)"): g
        * (torch.sigmoid(1.702 * x) * (1 + 1.702 * x * (1 - torch.sigmoid(1.702 * x)))),
    }


def _nonfinite_where(t: torch.Tensor, x: torch.Tensor) -> list[float]:
    """Input values at which `t` is inf or NaN (a few of them)."""
    bad = ~torch.isfinite(t.float())
    return [float(v) for v in x.float()[bad].tolist()[:6]]


def _expect_finite(t, x, what: Msg, hint: Msg) -> None:
    expect(t is not None, _("{what} is None: backward must return a gradient tensor", what=what))
    bad = _nonfinite_where(t, x)
    expect(not bad, _("{what} is inf/NaN at x = {bad}. {hint}", what=what, bad=bad, hint=hint))


OVERFLOW_HINT = _(
    "A formula built on torch.exp(-x) or torch.exp(x) overflows to inf for large |x| and then gives "
    "inf / inf = NaN; use torch.sigmoid(x), which is stable for any x."
)


# --------------------------------------------------------------------------- 02.1 forward


@check(task="02.1", points=2, visible=True, name="Forward equals x * sigmoid(x)")
def check_forward_matches_silu(submission, reference):
    x = torch.randn(5, 7) * 3
    got = submission.call(probes.run, x)
    want = reference.call(probes.run, x)
    expect_equal(got["shape"], [5, 7], what=_("shape of SwishFunction.apply(x) for x of shape (5, 7)"))
    expect_equal(got["dtype"], "torch.float32", what=_("dtype of the output for a float32 input"))
    expect_equal(got["device"], want["device"], what=_("device of the output (it must stay on the input's device)"))
    expect_close(
        got["out"],
        F.silu(x.double()).float(),
        what=_("SwishFunction.apply(x) for x of shape (5, 7)"),
        mistakes={k: v.float() for k, v in forward_mistakes(x).items()},
    )


@check(task="02.1", points=1, visible=False, name="Forward works for any shape and memory layout")
def check_forward_any_shape(submission):
    cases = [
        ("a 0-dim scalar", torch.tensor(1.5), "contiguous"),
        ("an empty tensor of shape (0, 3)", torch.randn(0, 3), "contiguous"),
        ("a 5-D tensor of shape (2, 1, 3, 1, 2)", torch.randn(2, 1, 3, 1, 2) * 3, "contiguous"),
        ("a transposed (non-contiguous) view of shape (4, 6)", torch.randn(4, 6) * 3, "transposed"),
        ("a sliced view x[:, ::2] of shape (3, 5)", torch.randn(3, 5) * 3, "strided"),
    ]
    for desc, x, layout in cases:
        got = submission.call(probes.run, x, layout=layout)
        expect_equal(got["shape"], list(x.shape), what=_("output shape for {desc}", desc=desc))
        expect_close(got["out"], F.silu(x.double()).float(), what=_("SwishFunction.apply(x) for {desc}", desc=desc))


@check(task="02.1", points=2, visible=False, name="Backward saves only the input (one tensor the size of x)",
       requires=("forward_matches_silu", "backward_matches_silu"))
def check_saves_only_input(submission):
    x = torch.randn(8, 16)
    g = torch.randn(8, 16)
    got = submission.call(probes.saved_for_backward, x, g)
    expect(got["grad"] is not None, _("x.grad is None after backward: SwishFunction.backward must return the gradient"))
    expect_equal(list(got["grad"].shape), [8, 16], what=_("shape of the gradient"))
    saved, attrs = got["saved"], got["ctx_attributes"]
    limit = got["input"]["bytes"]
    total = sum(t["bytes"] for t in saved + attrs)
    listing = ", ".join(
        f"{t.get('name', 'save_for_backward')}: {tuple(t['shape'])} {t['dtype'].replace('torch.', '')}"
        for t in saved + attrs
    ) or _("nothing")
    expect(
        len(saved) + len(attrs) <= 1 and total <= limit,
        _("for an input of shape (8, 16) float32 ({limit} bytes) SwishFunction keeps {value} tensors ({total} bytes) for backward: {listing}. Save only x with ctx.save_for_backward(x) and recompute sigmoid(x) in backward; do not keep sigmoid(x), the output or other intermediates (neither in save_for_backward nor as ctx attributes).", limit=limit, value=len(saved) + len(attrs), total=total, listing=listing),
    )
    expect(
        len(saved) == 1,
        _("SwishFunction saves nothing with ctx.save_for_backward (it keeps {listing} for backward): save x with ctx.save_for_backward(x) and read it back with ctx.saved_tensors. A tensor kept as a ctx attribute, on the class or in a global escapes autograd's checks for in-place changes (and class or global state is overwritten when two forward passes run before their backward passes).", listing=listing),
    )


@check(task="02.1", points=1, visible=False, name="Two forward passes before their backward passes (state lives on ctx)")
def check_state_on_ctx(submission):
    x1, x2 = torch.randn(4, 5) * 3, torch.randn(4, 5) * 3
    g1, g2 = torch.randn(4, 5), torch.randn(4, 5)
    got = submission.call(probes.interleaved, x1, x2, g1, g2)
    _out1, want1 = silu_and_grad(x1, g1)
    _out2, want2 = silu_and_grad(x2, g2)
    _out3, swapped = silu_and_grad(x2, g1)
    for key, want, which in (("grad1", want1, _("first")), ("grad2", want2, _("second"))):
        expect(isinstance(got, dict) and got.get(key) is not None,
               _("x.grad of the {which} call is None: SwishFunction.backward must return the gradient", which=which))
        expect_close(
            got[key], want.float(),
            what=_("x.grad of the {which} of two calls y1 = SwishFunction.apply(x1), y2 = SwishFunction.apply(x2) whose backward passes run after both forward passes", which=which),
            mistakes={_("this is the gradient at the second call's input x2: backward read state that the second forward overwrote (kept on the class, in a global or in a closure). Keep what backward needs on ctx: ctx.save_for_backward(x)"): swapped.float()},
            hint=_("In a network, every layer's forward runs before any backward: each backward must read the input of its own call, from ctx."))


@check(task="02.1", points=1, visible=False, name="No built-in SiLU (F.silu, nn.SiLU, torch.ops): the formula is yours",
       requires=("forward_matches_silu", "backward_matches_silu"))
def check_no_builtin_silu(submission):
    submission.call(probes.run, torch.randn(3))  # the code runs: a rule alone earns nothing
    found = rules.found(submission.source, rules.NO_BUILTIN_SILU)
    if found:
        fail(_("compute Swish with your own formula from torch.sigmoid (or torch.special.expit) and arithmetic; "
               "the spec rules out torch.nn.functional, torch.nn's activation modules, torch.ops kernels and names "
               "reached dynamically: {violations}. (Comparisons with F.silu in your own tests belong under "
               "if __name__ == \"__main__\":.)", violations=rules.describe(found)),
             {"violations": [{"file": v.file, "line": v.line, "name": str(v.name)} for v in found[:20]]})


@check(task="02.1", points=1, visible=False, name="No hard-coded device (works on any device)",
       requires=("forward_matches_silu", "backward_matches_silu"))
def check_no_hardcoded_device(submission):
    submission.call(probes.run, torch.randn(3))  # the code runs: a rule alone earns nothing
    found = rules.hardcoded_devices(submission.source)
    if found:
        fail(_("the spec says: never hard-code \"cpu\" or \"cuda\"; on a GPU this code would move tensors off "
               "x's device: {violations}. Create new tensors with torch.*_like(x) or device=x.device.",
               violations=rules.describe(found)),
             {"violations": [{"file": v.file, "line": v.line, "name": str(v.name)} for v in found[:20]]})


# --------------------------------------------------------------------------- 02.2 backward


@check(task="02.2", points=2, visible=True, name="Gradient equals grad_output * swish'(x)")
def check_backward_matches_silu(submission, reference):
    x = torch.randn(6, 5) * 3
    g = torch.randn(6, 5)
    got = submission.call(probes.run, x, g)
    want = reference.call(probes.run, x, g)
    _out, want_grad = silu_and_grad(x, g)
    expect(got["grad"] is not None, _("x.grad is None after y.backward(g): SwishFunction.backward must return the gradient"))
    expect_equal(got["grad_dtype"], "torch.float32", what=_("dtype of x.grad for a float32 input"))
    expect_equal(got["grad_device"], want["grad_device"], what=_("device of x.grad"))
    expect_close(
        got["grad"],
        want_grad.float(),
        what=_("x.grad after y = SwishFunction.apply(x); y.backward(g), x and g of shape (6, 5)"),
        mistakes={k: v.float() for k, v in backward_mistakes(x, g).items()},
    )


@check(task="02.2", points=1, visible=True, name="torch.autograd.gradcheck passes in float64",
       requires=("forward_matches_silu", "backward_matches_silu"))
def check_gradcheck_float64(submission):
    x = torch.randn(4, 5, dtype=torch.float64) * 3
    got = submission.call(probes.gradcheck, x)
    if not got["ok"]:
        fail(_("torch.autograd.gradcheck(SwishFunction.apply, (x,)) failed for a float64 x of shape (4, 5): "
               "your backward does not match the numerical derivative of your forward.\n{details}",
               details=str(got["message"])))


@check(task="02.2", points=1, visible=False, name="Backward works for any shape, memory layout and grad_output layout")
def check_backward_non_contiguous(submission):
    cases = [
        (_("x a transposed view, grad_output transposed"), torch.randn(4, 6) * 3, torch.randn(4, 6), "transposed", "transposed"),
        (_("x a sliced view x[:, ::2], grad_output expanded from shape (3, 1)"), torch.randn(3, 5) * 3, torch.randn(3, 1),
         "strided", "expanded"),
        (_("x a 0-dim scalar"), torch.tensor(-1.75), torch.tensor(0.5), "contiguous", "contiguous"),
        (_("x a 5-D tensor, grad_output expanded from shape (1, 1, 1, 1, 1)"), torch.randn(2, 1, 3, 1, 2) * 3,
         torch.randn(1, 1, 1, 1, 1), "contiguous", "expanded"),
    ]
    for desc, x, g, layout, grad_layout in cases:
        got = submission.call(probes.run, x, g, layout=layout, grad_layout=grad_layout)
        _out, want_grad = silu_and_grad(x, g.expand(x.shape))
        expect(got["grad"] is not None, _("x.grad is None ({desc}): backward must return the gradient", desc=desc))
        expect_close(
            got["grad"],
            want_grad.float(),
            what=_("x.grad with {desc}, shape {shape}", desc=desc, shape=tuple(x.shape)),
            mistakes={k: v.float() for k, v in backward_mistakes(x, g.expand(x.shape)).items()},
            hint=_("Use element-wise operations on grad_output as it is; avoid .view() on tensors that may be non-contiguous (use .reshape(), or no reshaping at all)."),
        )


@check(task="02.2", points=1, visible=False, name="Backward is written by hand (no autograd inside backward)",
       requires=("backward_matches_silu",))
def check_backward_hand_written(submission):
    x = torch.randn(4, 6) * 3
    g = torch.randn(4, 6)
    got = submission.call(probes.run, x, g)
    found = rules.found(submission.source, rules.BACKWARD_BY_HAND)
    if found:
        fail(_("the gradient must come from your own formula in SwishFunction.backward, without autograd "
               "(torch.autograd.grad, .backward(), torch.enable_grad, saved-tensor hooks, or names reached "
               "dynamically): {violations}. Compute grad_output * s * (1 + x * (1 - s)) directly; put self-tests "
               "under if __name__ == \"__main__\":.", violations=rules.describe(found)),
             {"violations": [{"file": v.file, "line": v.line, "name": str(v.name)} for v in found[:20]]})
    # A second signal at run time: a backward that builds a graph saves tensors for it.
    expect(got["grad"] is not None, _("x.grad is None after backward: SwishFunction.backward must return the gradient"))
    n = len(got["saved_in_backward"])
    expect(
        n == 0,
        _("while SwishFunction.backward ran, autograd recorded a new graph ({n} tensors saved for a second backward pass): the gradient is computed by autograd through built-in operations (torch.enable_grad / torch.autograd.grad / .backward() inside backward). Compute grad_output * s * (1 + x * (1 - s)) directly.", n=n),
    )


@check(task="02.2", points=2, visible=False, name="Forward and gradient are finite and accurate for large |x| (float32)")
def check_extreme_values_float32(submission):
    x = torch.tensor(
        [-1e4, -1000.0, -200.0, -100.0, -89.0, -50.0, -30.0, -20.0, -5.0, 0.0,
         5.0, 20.0, 30.0, 50.0, 89.0, 100.0, 200.0, 1000.0, 1e4]
    )
    g = torch.randn(x.shape) + 2.0
    got = submission.call(probes.run, x, g)
    want_out, want_grad = silu_and_grad(x, g)
    _expect_finite(got["out"], x, "the forward output", OVERFLOW_HINT)
    _expect_finite(got["grad"], x, "the gradient", OVERFLOW_HINT)
    expect_close(got["out"], want_out.float(), what=_("SwishFunction.apply(x) for large |x| (float32)"),
                 mistakes={k: v.float() for k, v in forward_mistakes(x).items()})
    expect_close(got["grad"], want_grad.float(), what=_("x.grad for large |x| (float32)"),
                 mistakes={k: v.float() for k, v in backward_mistakes(x, g).items()})


def _half_precision(submission, dtype: torch.dtype, rtol: float, atol: float) -> None:
    name = str(dtype).replace("torch.", "")
    extremes = [-60000.0, -1000.0, -100.0, -20.0, -10.0, 10.0, 20.0, 100.0, 1000.0, 60000.0]
    x = torch.cat([torch.randn(64) * 4, torch.tensor(extremes)]).to(dtype)
    g = torch.randn(x.shape)
    # At the extremes |grad_output| = 1.5: grad_output * x then exceeds float16's range at x = 60000,
    # as it does inside autograd's own backward of x * sigmoid(x).
    g[64:] = torch.where(g[64:] >= 0, 1.5, -1.5)
    g = g.to(dtype)
    got = submission.call(probes.run, x, g, dtype=name)
    expect_equal(got["dtype"], str(dtype), what=_("dtype of the output for a {name} input", name=name),
                 hint=_("If you compute in float32 for accuracy, cast the result back to the input's dtype."))
    expect_equal(got["grad_dtype"], str(dtype), what=_("dtype of x.grad for a {name} input", name=name))
    _expect_finite(got["out"], x, _("the forward output ({name})", name=name), OVERFLOW_HINT)
    _expect_finite(got["grad"], x, _("the gradient ({name})", name=name), OVERFLOW_HINT)
    # Oracle: float32 computation on the same (rounded) inputs; the student's result is compared
    # with tolerances that a direct evaluation of the formula in `dtype` meets.
    want_out, want_grad = silu_and_grad(x, g, torch.float32)
    expect_close(got["out"], want_out, what=_("SwishFunction.apply(x) for a {name} x", name=name), check_dtype=False,
                 rtol=rtol, atol=atol)
    # The form y + s * (1 - y) (y = x * s) is exact in real arithmetic but, evaluated in `dtype`,
    # 1 - y rounds to -y for large x and the sum cancels to 0: recognise that result.
    s = torch.sigmoid(x)
    y = x * s
    cancelled = (g * (y + s * (1 - y))).float()
    mistakes = {k: v.float() for k, v in backward_mistakes(x.float(), g.float()).items()}
    mistakes[_("this is grad_output * (y + s * (1 - y)) with y = x * s evaluated in {name}: for large x, 1 - y "
               "rounds to -y and the sum cancels to 0 instead of 1. Use s * (1 + x * (1 - s)), whose terms stay small",
               name=name)] = cancelled
    expect_close(got["grad"], want_grad, what=_("x.grad for a {name} x", name=name), check_dtype=False, rtol=rtol, atol=atol,
                 mistakes=mistakes)


@check(task="02.2", points=1, visible=False, name="Works in float16, also for large |x|")
def check_float16(submission):
    _half_precision(submission, torch.float16, rtol=4e-3, atol=2e-3)


@check(task="02.2", points=1, visible=False, name="Works in bfloat16, also for large |x|")
def check_bfloat16(submission):
    _half_precision(submission, torch.bfloat16, rtol=3e-2, atol=1e-2)


@check(task="02.2", points=1, visible=False, name="Works in float64 with float64 accuracy")
def check_float64_accuracy(submission):
    extremes = [-700.0, -100.0, -30.0, -20.0, -2.3994, -1.2785, -1e-8, 0.0, 1e-8, 20.0, 30.0, 100.0, 700.0, 1e4]
    x = torch.cat([torch.randn(64, dtype=torch.float64) * 4, torch.tensor(extremes, dtype=torch.float64)])
    g = torch.randn(x.shape, dtype=torch.float64)
    got = submission.call(probes.run, x, g)
    expect_equal(got["dtype"], "torch.float64", what=_("dtype of the output for a float64 input"))
    expect_equal(got["grad_dtype"], "torch.float64", what=_("dtype of x.grad for a float64 input"))
    want_out, want_grad = silu_and_grad(x, g)
    # A direct evaluation in float64 is within a few ulps; float32 anywhere in the chain is ~1e-7 off.
    hint = (_("float64 results must be float64-accurate: compute in the input's dtype (casting to float32 for half precision is fine, but not for float64)."))
    expect_close(got["out"], want_out, what=_("SwishFunction.apply(x) for a float64 x"), rtol=1e-10, atol=1e-12,
                 hint=hint)
    expect_close(got["grad"], want_grad, what=_("x.grad for a float64 x"), rtol=1e-10, atol=1e-12, hint=hint,
                 mistakes={k: v for k, v in backward_mistakes(x, g).items()})


@check(task="02.2", points=1, visible=False, name="Neither the input nor grad_output is modified",
       requires=("forward_matches_silu", "backward_matches_silu"))
def check_input_not_modified(submission):
    x = torch.randn(5, 6) * 3
    g = torch.randn(5, 6)
    # Contiguous inputs: an in-place change through a view or reshape reaches them (a reshape of a
    # non-contiguous tensor copies); non-contiguous layouts are checked for their values elsewhere.
    for variant in variants(layouts=("contiguous",), requires_grad=(False, True),
                            dtypes=("float32", "float64", "float16", "bfloat16")):
        both = variant["requires_grad"] and variant["dtype"] == "float32"
        for entry in ("function", "swish") if both else ("function",):
            got = submission.call(probes.untouched, x, g, variant, entry)
            call = "SwishFunction.apply(x)" if entry == "function" else "swish(x)"
            expect(isinstance(got, dict) and isinstance(got.get("forward"), dict),
                   _("{call} returned something unexpected for x {variant}", call=call, variant=describe_variant(variant)))
            expect_inputs_untouched(got["forward"], what=_("{call} with x {variant}", call=call, variant=describe_variant(variant)),
                                    names={"x": "x"})
            if variant["requires_grad"]:
                expect(isinstance(got.get("backward"), dict), _("backward of {call} could not be observed", call=call))
                expect_inputs_untouched(
                    got["backward"], what=_("{call}.backward(grad_output) with x {variant}", call=call, variant=describe_variant(variant)),
                    names={"x": "x (the tensor you saved)", "grad_output": "grad_output"})


# --------------------------------------------------------------------------- 02.3 swish() and Swish


@check(task="02.3", points=1, visible=True, name="swish() and Swish use SwishFunction (grad_fn is SwishFunctionBackward)",
       requires=("forward_matches_silu",))
def check_uses_custom_function(submission):
    x = torch.randn(3, 4) * 3
    for dtype in ("float32", "float64"):
        for entry, call in (("swish", "swish(x)"), ("module", "Swish()(x)")):
            got = submission.call(probes.run, x, entry=entry, requires_grad=True, dtype=dtype)
            expect_equal(
                got["grad_fn"],
                "SwishFunctionBackward",
                what=_("type(y.grad_fn).__name__ for y = {call}, x a {dtype} tensor with requires_grad=True", call=call, dtype=dtype),
                hint=_("{call} must return SwishFunction.apply(x) so that backward runs your hand-written SwishFunction.backward; a grad_fn like MulBackward0 means autograd differentiates built-in operations instead (ToCopyBackward0: a dtype conversion after the Function).", call=call),
            )
            expect_equal(got["dtype"], f"torch.{dtype}", what=_("dtype of {call} for a {dtype} x", call=call, dtype=dtype))
            expect_close(got["out"], F.silu(x.double()).to(getattr(torch, dtype)), what=_("{call} for x of shape (3, 4)", call=call),
                         mistakes={k: v.to(getattr(torch, dtype)) for k, v in forward_mistakes(x).items()})


@check(task="02.3", points=1, visible=False, name="Swish is a parameter-free nn.Module computing swish")
def check_swish_module(submission):
    info = submission.call(probes.module_info)
    expect(info["is_module"], _("Swish() is not an instance of torch.nn.Module: subclass nn.Module"))
    expect(
        not info["parameters"] and not info["buffers"],
        _("Swish() has parameters/buffers {value}: this exercise's Swish has no trainable beta (beta = 1) and no state.", value=info['parameters'] + info['buffers']),
    )
    x = torch.randn(2, 3, 4) * 3
    g = torch.randn(2, 3, 4)
    got = submission.call(probes.run, x, g, entry="module")
    want_out, want_grad = silu_and_grad(x, g)
    expect_close(got["out"], want_out.float(), what=_("Swish()(x) for x of shape (2, 3, 4)"),
                 mistakes={k: v.float() for k, v in forward_mistakes(x).items()})
    expect(got["grad"] is not None, _("x.grad is None after Swish()(x).backward(g)"))
    expect_close(got["grad"], want_grad.float(), what=_("x.grad through Swish()(x)"),
                 mistakes={k: v.float() for k, v in backward_mistakes(x, g).items()})
