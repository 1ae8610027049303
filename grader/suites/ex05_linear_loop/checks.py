"""Checks for exercise 05 — train_linear, a training loop written by hand.

Oracles:
- the published one-sample example, whose trajectory has a closed form (every update multiplies
  the error by q = 1 - 2 lr (|x|^2 + 1)); the published figures are verified against it at import;
- the reference solution, on random batched and multi-output problems (a single sample with a
  single output cannot tell sum from mean, nor, after one step, a missing gradient reset);
- self-consistency where that isolates one rule (lr, defaults, steps=0, requires_grad inputs).
Typical mistakes are recognised by re-running the loop with the mistake in a small pure-torch
simulator (`_simulate`, manual gradients, no autograd): a hint is given when the submission's whole
result matches a mistaken run (`_diagnose`), or through `mistakes=` where a single value tells.
"""

from __future__ import annotations

import functools

import torch
import torch.nn.functional as F

from grader.i18n import Msg, _
from grader.judge import CheckFailure, check, expect, expect_close, expect_equal, fail
from grader.judge.contract import expect_inputs_untouched, expect_no_alias, output_facts
from grader.judge.policy import Policy, expect_policy

from . import probes

# Float32 trajectories from different (correct) implementations agree to ~1e-6 relative; every
# mistake below moves them by 1e-3 or more.
RTOL32, ATOL32 = 1e-4, 1e-6
RTOL64, ATOL64 = 1e-9, 1e-12
# A submission "is" a simulated mistake when it agrees with it to float32 accuracy (also for
# float64 problems: that is how a float64 run computed in float32 is recognised).
MATCH_RTOL, MATCH_ATOL = 1e-4, 1e-6

# ---------------------------------------------------------------- the published example

X_PUB = [0.1, 0.2, 0.3]
W_PUB = [[0.4, 0.5, 0.6]]
B_PUB = [0.1]
Y_PUB = [1.0]
LR_PUB = 0.01
# output of the model after k updates, as published (with the number of decimals published)
PUBLISHED_OUTPUT = {0: (0.4200, 4), 1: (0.4332, 4), 2: (0.4461, 4), 9: (0.5287, 4), 99: (0.9409, 4),
                    199: (0.9941, 4), 499: (0.99999, 5), 999: (1.0000, 4)}
PUBLISHED_LOSS0 = (0.3364, 4)


def _published_tensors(dtype=torch.float32):
    return (torch.tensor(X_PUB, dtype=dtype), torch.tensor(Y_PUB, dtype=dtype),
            torch.tensor(W_PUB, dtype=dtype), torch.tensor(B_PUB, dtype=dtype))


def _published_formula(k: int) -> float:
    """Output after k updates, exact (float64): y - (y - out0) * q**k."""
    x, y, w, b = _published_tensors(torch.float64)
    out0 = float(w[0] @ x + b[0])
    q = 1.0 - 2.0 * LR_PUB * (float(x @ x) + 1.0)
    return float(y[0]) - (float(y[0]) - out0) * q**k


def _verify_published() -> None:
    for k, (value, decimals) in PUBLISHED_OUTPUT.items():
        exact = _published_formula(k)
        assert round(exact, decimals) == value, f"published output after {k} updates {value} != formula {exact}"
    loss0 = (Y_PUB[0] - _published_formula(0)) ** 2
    assert round(loss0, PUBLISHED_LOSS0[1]) == PUBLISHED_LOSS0[0], (loss0, PUBLISHED_LOSS0)


_verify_published()  # a grader bug, not a student's: fails loudly at collection

# ---------------------------------------------------------------- simulator with mistakes

HINTS = {
    "no_reset": _("the gradients accumulate from step to step: did you forget to reset w.grad and b.grad (w.grad.zero_() or w.grad = None) after each update?"),
    "reset_weight_only": _("bias.grad accumulates from step to step: did you reset only the weight's gradient?"),
    "reset_bias_only": _("weight.grad accumulates from step to step: did you reset only the bias's gradient?"),
    "loss_after": _("losses[i] must be the loss BEFORE update i: did you record the loss after the update?"),
    "sum": _("this is the SUM of the squared errors: F.mse_loss must average over all elements (the default reduction='mean', not reduction='sum')"),
    "sum_outputs": _("the loss is averaged over the samples but summed over the outputs (e.g. ((pred - y) ** 2).sum(1).mean()): average over every element"),
    "lr_default": _("this is the result for lr=0.01: is the lr argument ignored?"),
    "one_more": _("this is the result of one update too many (steps + 1): check the range of your loop"),
    "one_less": _("this is the result of one update too few (steps - 1): check the range of your loop"),
    "bias_frozen": _("the bias was never updated: update b with b.grad too"),
    "weight_frozen": _("the weight was never updated: update w with w.grad too"),
    "ascent": _("the parameters moved UP the gradient: the update is w -= lr * w.grad"),
    "float32": _("this is the result computed in float32: keep the dtype of the inputs (no .float())"),
}


def _simulate(x, y, w, b, lr, steps, mistake=None, record=None):
    """Gradient descent on mean-squared error with manual gradients, optionally with one mistake.

    Returns {"weight", "bias", "losses"} like the `train` probe. If `record` is a list, it gets
    (weight, bias) before the first update and after every update.
    """
    out_dtype = w.dtype
    if mistake == "float32":
        x, y, w, b = (t.float() for t in (x, y, w, b))
    if mistake == "lr_default":
        lr = 0.01
    if mistake == "one_more":
        steps = steps + 1
    if mistake == "one_less":
        steps = max(steps - 1, 0)
    w, b = w.clone(), b.clone()
    d_in, d_out = w.shape[1], w.shape[0]
    x2, y2 = x.reshape(-1, d_in), y.reshape(-1, d_out)

    def loss_and_grads(w, b):
        r = F.linear(x2, w, b) - y2
        if mistake == "sum":
            loss, g = (r**2).sum(), 2.0 * r
        elif mistake == "sum_outputs":
            loss, g = (r**2).sum(1).mean(), 2.0 * r / r.shape[0]
        else:
            loss, g = (r**2).mean(), 2.0 * r / r.numel()
        return loss, g.T @ x2, g.sum(0)

    acc_w, acc_b = torch.zeros_like(w), torch.zeros_like(b)
    losses = []
    if record is not None:
        record.append((w, b))
    for _step in range(steps):
        loss, gw, gb = loss_and_grads(w, b)
        if mistake in ("no_reset", "reset_bias_only"):
            acc_w += gw
            gw = acc_w
        if mistake in ("no_reset", "reset_weight_only"):
            acc_b += gb
            gb = acc_b
        sign = -1.0 if mistake == "ascent" else 1.0
        if mistake != "weight_frozen":
            w = w - sign * lr * gw
        if mistake != "bias_frozen":
            b = b - sign * lr * gb
        if mistake == "loss_after":
            loss = loss_and_grads(w, b)[0]
        losses.append(float(loss))
        if record is not None:
            record.append((w, b))
    return {"weight": w.to(out_dtype), "bias": b.to(out_dtype), "losses": losses}


LOOP_MISTAKES = ("no_reset", "reset_weight_only", "reset_bias_only", "loss_after", "sum",
                 "sum_outputs", "lr_default", "bias_frozen", "weight_frozen", "ascent",
                 "one_more", "one_less")


def _alternatives(x, y, w, b, lr, steps, mistakes=LOOP_MISTAKES):
    return {HINTS[m]: _simulate(x, y, w, b, lr, steps, m) for m in mistakes}


# ---------------------------------------------------------------- helpers

def _problem(n, d_in, d_out, *, dtype=torch.float32, one_sample=False):
    """A random regression problem: y = x @ W.T + B + noise, small random initial parameters."""
    x = torch.randn(d_in, dtype=dtype) if one_sample else torch.randn(n, d_in, dtype=dtype)
    w_true = torch.randn(d_out, d_in, dtype=dtype)
    b_true = torch.randn(d_out, dtype=dtype)
    y = F.linear(x, w_true, b_true) + 0.1 * torch.randn(x.shape[:-1] + (d_out,), dtype=dtype)
    w0 = 0.1 * torch.randn(d_out, d_in, dtype=dtype)
    b0 = 0.1 * torch.randn(d_out, dtype=dtype)
    return x, y, w0, b0


def _describe(x, y, lr, steps):
    return (f"train_linear(x {list(x.shape)}, y {list(y.shape)}, {str(x.dtype).removeprefix('torch.')}, "
            f"lr={lr}, steps={steps})")  # code: the same in every language


def _t(losses, dtype):
    return torch.tensor(losses, dtype=dtype)


def _same_run(a, b, rtol, atol):
    """True when two train_linear results (losses, weight, bias) agree within the tolerances."""
    if len(a["losses"]) != len(b["losses"]):
        return False
    if a["losses"] and not torch.allclose(torch.tensor(a["losses"], dtype=torch.float64),
                                          torch.tensor(b["losses"], dtype=torch.float64),
                                          rtol=rtol, atol=atol, equal_nan=True):
        return False
    for key in ("weight", "bias"):
        x, y = a[key], b[key]
        if not (isinstance(x, torch.Tensor) and isinstance(y, torch.Tensor)) or x.shape != y.shape:
            return False
        if not torch.allclose(x.double(), y.double(), rtol=rtol, atol=atol, equal_nan=True):
            return False
    return True


def _diagnose(got, alts):
    """The hint of the first mistake whose whole result (losses, weight and bias together) the
    submission reproduces. Whole results, not parts: several mistakes agree on one part (after two
    steps, a missing reset of only b.grad gives the same bias as a missing reset of both)."""
    for hint, alt in alts.items():
        if _same_run(got, alt, MATCH_RTOL, MATCH_ATOL):
            return hint
    return None


def _compare_run(got, want, alts, what, *, dtype, rtol, atol):
    """Compare one result of train_linear (losses, then weight, then bias) with the expected one.

    `alts()` maps hint -> result of the same call with that mistake; it is simulated only when the
    comparison fails, so a correct submission does not pay for it.
    """
    try:
        expect_equal(len(got["losses"]), len(want["losses"]), what=_("len(losses) of {what}", what=what))
        expect_close(_t(got["losses"], dtype), _t(want["losses"], dtype), what=_("losses of {what}", what=what),
                     rtol=rtol, atol=atol)
        for key in ("weight", "bias"):
            expect_close(got[key], want[key], what=_("returned {key} of {what}", key=key, what=what), rtol=rtol, atol=atol)
    except CheckFailure as failure:
        hint = _diagnose(got, alts())
        if hint:
            failure.message = _("{message} ({hint})", message=failure.message, hint=hint)
            failure.args = (str(failure.message),)
        raise


def _against_reference(submission, reference, x, y, w, b, lr, steps, *, mistakes=LOOP_MISTAKES,
                       rtol=RTOL32, atol=ATOL32):
    kwargs = {"lr": lr, "steps": steps}
    got = submission.call(probes.train, x, y, w, b, kwargs)
    want = reference.call(probes.train, x, y, w, b, kwargs)
    _compare_run(got, want, functools.partial(_alternatives, x, y, w, b, lr, steps, mistakes), _describe(x, y, lr, steps),
                 dtype=x.dtype, rtol=rtol, atol=atol)


# ---------------------------------------------------------------- 05.1 the loop

# What the contract and the rules qualify: a loop that trains. A loop with a bug that still trains
# (loss recorded after the update, one step too few, a loss summed over outputs) keeps the points
# of the properties it honours; a do-nothing (returns its inputs, zeros, constants) earns none.
BEHAVIOUR = "trains_the_model"


def _mse(x, y, w, b) -> float:
    """The loss of parameters on a problem, computed here in the judge from the returned tensors."""
    return float(F.mse_loss(F.linear(x.double(), w.double(), b.double()), y.double()))


@check(task="05.1", points=1, visible=True, name="Training reduces the loss: the returned weight and bias fit the data")
def check_trains_the_model(submission, reference):
    x, y, w, b = _problem(64, 4, 2)
    got = submission.call(probes.train, x, y, w, b, {"lr": 0.05, "steps": 60})
    want = reference.call(probes.train, x, y, w, b, {"lr": 0.05, "steps": 60})
    expect(isinstance(got, dict) and isinstance(got.get("weight"), torch.Tensor) and isinstance(got.get("bias"), torch.Tensor),
           _("train_linear must return (weight, bias, losses) with weight and bias as tensors"))
    expect_equal(list(got["weight"].shape), list(w.shape), what=_("shape of the returned weight"))
    expect_equal(list(got["bias"].shape), list(b.shape), what=_("shape of the returned bias"))
    start, reached = _mse(x, y, w, b), _mse(x, y, want["weight"], want["bias"])
    final = _mse(x, y, got["weight"], got["bias"])
    # Gradient descent from these parameters brings the loss to `reached`, about 1/500 of `start`.
    # A loop that trains at all (even too slowly, or one step short) halves it; one that returns
    # its inputs, zeros or constants stays near `start`, and one that diverges goes above it.
    if not final <= start:  # NaN or larger: the steps blow up
        fail(_("after train_linear(x [64, 4], y [64, 2], lr=0.05, steps=60) the returned weight and bias have a mean squared error of {final} on the data, more than the initial {start}: the training diverges (is the loss a sum instead of the mean, or the gradient scaled up?)", final=f"{final:.4g}", start=f"{start:.4g}"))
    expect(final <= 0.5 * start,
           _("after train_linear(x [64, 4], y [64, 2], lr=0.05, steps=60) the returned weight and bias have a mean squared error of {final} on the data; the initial parameters had {start}, and 60 steps of gradient descent reach {reached}: the loop does not train the parameters it returns (does it update w and b with their gradients, and return the updated tensors?)", final=f"{final:.4g}", start=f"{start:.4g}", reached=f"{reached:.4g}"))


@check(task="05.1", points=2, visible=True, name="Published example: loss 0.3364 before, output 0.4332 after the first update")
def check_published_first_step(submission, reference):
    x, y, w, b = _published_tensors()
    got = submission.call(probes.train, x, y, w, b, {"lr": LR_PUB, "steps": 1})
    err0 = Y_PUB[0] - _published_formula(0)  # 0.58
    # d loss / d pred = -2 * err0; one step: w += 2 lr err0 x, b += 2 lr err0
    want = {
        "losses": [err0**2],
        "weight": (w.double() + 2 * LR_PUB * err0 * x.double()).float(),
        "bias": (b.double() + 2 * LR_PUB * err0).float(),
    }
    alts = functools.partial(_alternatives, x, y, w, b, LR_PUB, 1,
                             ("loss_after", "one_more", "bias_frozen", "weight_frozen", "ascent"))
    _compare_run(got, want, alts, _("the published example (x=[0.1, 0.2, 0.3], weight=[[0.4, 0.5, 0.6]], "
                                    "bias=[0.1], y=[1.0], lr=0.01, steps=1)"), dtype=torch.float32, rtol=1e-5, atol=1e-6)


@check(task="05.1", points=3, visible=True, name="Published example: the trajectory over 1000 steps")
def check_published_trajectory(submission, reference):
    x, y, w, b = _published_tensors()
    ks = [k for k in PUBLISHED_OUTPUT if k > 0] + [1000]
    got = submission.call(probes.outputs_after, x, y, w, b, LR_PUB, ks)
    # outputs after k updates: the closed form, and the published (rounded) figures
    x64, y64, w64, b64 = (t.double() for t in (x, y, w, b))
    traced = ("no_reset", "reset_weight_only", "reset_bias_only", "bias_frozen", "weight_frozen", "ascent")

    @functools.cache
    def alt_outputs():
        """hint -> outputs after k updates for every k in ks, with that mistake (simulated on failure only)."""
        outs = {}
        for m in traced:
            params = []
            _simulate(x64, y64, w64, b64, LR_PUB, max(ks), m, record=params)
            outs[HINTS[m]] = [float(F.linear(x64, *params[k])) for k in ks]
        for m, shift in (("one_more", 1), ("one_less", -1)):
            outs[HINTS[m]] = [_published_formula(k + shift) for k in ks]
        return outs

    def alt_output(hint, i, exact):
        value = alt_outputs()[hint][i]
        return value if abs(value - exact) > 1e-5 else None  # a mistake that changes nothing tells nothing

    hints = [HINTS[m] for m in traced + ("one_more", "one_less")]
    for i, k in enumerate(ks):
        exact = _published_formula(k)
        published = _(" (published: {value})", value=str(PUBLISHED_OUTPUT[k][0])) if k in PUBLISHED_OUTPUT else ""
        out = got["outputs"][i]
        expect(isinstance(out, torch.Tensor) and out.numel() == 1,
               _("the model output after {k} updates should have one element (weight [1, 3], bias [1])", k=k))
        expect_close(float(out), exact, rtol=0, atol=1e-5,
                     what=_("model output F.linear(x, weight, bias) after train_linear(..., lr=0.01, steps={k}){published}", k=k, published=published),
                     mistakes={h: functools.partial(alt_output, h, i, exact) for h in hints})
    # losses[i] = (y - output after i updates) ** 2
    want = [(Y_PUB[0] - _published_formula(i)) ** 2 for i in range(1000)]
    alts = {HINTS[m]: functools.partial(lambda m: _t(_simulate(x64, y64, w64, b64, LR_PUB, 1000, m)["losses"],
                                                     torch.float32), m)
            for m in ("no_reset", "loss_after")}
    expect_equal(len(got["losses"]), 1000, what=_("len(losses) of train_linear(..., lr=0.01, steps=1000)"))
    expect_close(_t(got["losses"], torch.float32), _t(want, torch.float32), rtol=1e-4, atol=1e-6,
                 what=_("losses of the published example over 1000 steps (losses[0] = 0.3364)"), mistakes=alts)


@check(task="05.1", points=3, visible=True, name="A batch with several outputs matches the reference")
def check_batch_multi_output(submission, reference):
    x, y, w, b = _problem(8, 4, 3)
    _against_reference(submission, reference, x, y, w, b, lr=0.02, steps=25)


@check(task="05.1", points=2, visible=False, name="A batch with one output matches the reference")
def check_batch_single_output(submission, reference):
    x, y, w, b = _problem(32, 6, 1)
    _against_reference(submission, reference, x, y, w, b, lr=0.01, steps=40)


@check(task="05.1", points=1, visible=False, name="One sample (1-D x and y) with several outputs matches the reference")
def check_one_sample_multi_output(submission, reference):
    x, y, w, b = _problem(1, 5, 3, one_sample=True)
    _against_reference(submission, reference, x, y, w, b, lr=0.05, steps=30)


@check(task="05.1", points=1, visible=True, name="losses is a list of `steps` Python floats",
       requires=(BEHAVIOUR,))
def check_losses_are_floats(submission, reference):
    x, y, w, b = _problem(4, 3, 2)
    got = submission.call(probes.losses_kind, x, y, w, b, 6)
    expect(got["type"] == "list",
           _("losses should be a Python list, got {type} (collect loss.item() values in a list)", type=got["type"])
           if got["type"] == "Tensor" else _("losses should be a Python list, got {type}", type=got["type"]))
    expect_equal(got["len"], 6, what=_("len(losses) for steps=6"))
    if not got["all_float"]:
        types = ", ".join(got["item_types"])
        hint = (_(" Did you append the loss tensor itself? Append loss.item(): a tensor keeps its whole autograd graph alive.") if "torch.Tensor" in types else "")
        fail(_("every element of losses should be a Python float, found elements of type {types}.{hint}", types=types, hint=hint))


@check(task="05.1", points=2, visible=False, name="The lr argument is honoured",
       requires=(BEHAVIOUR,))
def check_lr_honoured(submission, reference):
    # One update moves the parameters by -lr * grad: (new - initial) / lr must not depend on lr.
    x, y, w, b = _problem(16, 4, 2)
    lrs = (0.1, 0.003)
    got = submission.call(probes.train_many, x, y, w, b, [{"lr": lr, "steps": 1} for lr in lrs])
    for key, init in (("weight", w), ("bias", b)):
        for r in got:
            expect(isinstance(r[key], torch.Tensor) and r[key].shape == init.shape,
                   _("the returned {key} should be a tensor of shape {shape}", key=key, shape=list(init.shape)))
        step_a = (got[0][key].double() - init.double()) / lrs[0]
        step_b = (got[1][key].double() - init.double()) / lrs[1]
        expect(bool(step_a.abs().max() > 0), _("the {key} did not change with lr={lrs}, steps=1", key=key, lrs=lrs[0]))
        if not torch.allclose(step_a, step_b, rtol=1e-3, atol=1e-4):
            ratio = float(step_a.norm() / step_b.norm()) if step_b.norm() > 0 else float("inf")
            hint = ""
            if abs(ratio * lrs[0] / lrs[1] - 1) < 1e-2:
                hint = _(" The update does not depend on lr at all: is the lr argument ignored?")
            fail(_("one update of the {key} should be exactly -lr * grad, so (new - initial) / lr should be the same for lr={lrs} and lr={lrs2}; the two differ by a factor {ratio}.{hint}", key=key, lrs=lrs[0], lrs2=lrs[1], ratio=f"{ratio:.4g}", hint=hint))


@check(task="05.1", points=2, visible=False, name="The steps argument is honoured",
       requires=(BEHAVIOUR,))
def check_steps_honoured(submission, reference):
    x, y, w, b = _problem(10, 3, 2)
    for steps in (1, 2, 7):
        got = submission.call(probes.train, x, y, w, b, {"lr": 0.05, "steps": steps})
        want = reference.call(probes.train, x, y, w, b, {"lr": 0.05, "steps": steps})
        alts = functools.partial(_alternatives, x, y, w, b, 0.05, steps)
        _compare_run(got, want, alts, _describe(x, y, 0.05, steps), dtype=x.dtype, rtol=RTOL32, atol=ATOL32)


@check(task="05.1", points=1, visible=False, name="The defaults are lr=0.01 and steps=1000",
       requires=(BEHAVIOUR,))
def check_defaults(submission, reference):
    x, y, w, b = _problem(5, 2, 1)
    default, explicit = submission.call(probes.train_many, x, y, w, b, [{}, {"lr": 0.01, "steps": 1000}])
    expect_equal(len(default["losses"]), 1000, what=_("len(losses) of train_linear(x, y, weight, bias) (default steps)"))
    for key in ("weight", "bias"):
        expect_close(default[key], explicit[key], rtol=RTOL32, atol=ATOL32,
                     what=_("returned {key} of train_linear(x, y, weight, bias) compared with lr=0.01, steps=1000 given explicitly", key=key),
                     hint=_("check the default value of lr in the signature"))
    expect_close(_t(default["losses"], torch.float32), _t(explicit["losses"], torch.float32),
                 rtol=RTOL32, atol=ATOL32, what=_("losses with the default arguments"))


# ---------------------------------------------------------------- 05.2 the contract

@check(task="05.2", points=1, visible=False, name="steps=0 returns the initial parameters and no losses",
       requires=(BEHAVIOUR,))
def check_steps_zero(submission, reference):
    x, y, w, b = _problem(4, 3, 2)
    got = submission.call(probes.train, x, y, w, b, {"lr": 0.05, "steps": 0})
    expect_equal(got["losses"], [], what=_("losses for steps=0"))
    expect_close(got["weight"], w, rtol=0, atol=0, what=_("returned weight for steps=0 (should equal the initial weight)"))
    expect_close(got["bias"], b, rtol=0, atol=0, what=_("returned bias for steps=0 (should equal the initial bias)"))


@check(task="05.2", points=2, visible=False, name="float64 inputs are trained in float64",
       requires=(BEHAVIOUR,))
def check_float64(submission, reference):
    x, y, w, b = _problem(6, 3, 2, dtype=torch.float64)
    lr, steps = 0.05, 30
    got = submission.call(probes.train, x, y, w, b, {"lr": lr, "steps": steps})
    want = reference.call(probes.train, x, y, w, b, {"lr": lr, "steps": steps})
    for key in ("weight", "bias"):
        if isinstance(got[key], torch.Tensor) and got[key].dtype != torch.float64:
            fail(_("the returned {key} is {dtype} for float64 inputs: keep the dtype of the inputs (no .float(), and create any new tensor with dtype=x.dtype)", key=key, dtype=got[key].dtype))
    alts = functools.partial(_alternatives, x, y, w, b, lr, steps, ("float32",) + LOOP_MISTAKES)
    _compare_run(got, want, alts, _describe(x, y, lr, steps), dtype=torch.float64, rtol=RTOL64, atol=ATOL64)


def _untouched(report, originals):
    problems = []
    for name, s in report["tensors"].items():
        after, before = s["after"], originals[name]
        if not (isinstance(after, torch.Tensor) and after.shape == before.shape and torch.equal(after, before)):
            problems.append(_("the values of the caller's {name} changed (train a copy: {name}.detach().clone())", name=name))
        if s["requires_grad"] != s["requires_grad_before"]:
            problems.append(_("the caller's {name}.requires_grad changed from {before} to {after} (call "
                              "requires_grad_() on your copy, not on the caller's tensor)", name=name,
                              before=s["requires_grad_before"], after=s["requires_grad"]))
        if not s["grad_is_none"]:
            problems.append(_("the caller's {name}.grad was set (gradients flowed into the caller's tensor: "
                              "train a detached copy)", name=name))
    return problems


@check(task="05.2", points=2, visible=True, name="The caller's x, y, weight and bias are left untouched",
       requires=(BEHAVIOUR,))
def check_caller_tensors_untouched(submission, reference):
    x, y, w, b = _problem(6, 3, 2)
    report = submission.call(probes.caller_tensors, x, y, w, b, False)
    problems = _untouched(report, {"x": x, "y": y, "weight": w, "bias": b})
    if problems:
        fail(_("after train_linear(x, y, weight, bias, lr=0.05, steps=5): {problems}.", problems=tuple(problems)))


@check(task="05.2", points=2, visible=False, name="Works when the caller's weight and bias require grad",
       requires=(BEHAVIOUR,))
def check_caller_params_requiring_grad(submission, reference):
    x, y, w, b = _problem(6, 3, 2)
    report = submission.call(probes.caller_tensors, x, y, w, b, True)
    if report["error"] is not None:
        fail(_("train_linear raised {error} when the caller's weight and bias have requires_grad=True (e.g. model parameters). weight.clone() of such a tensor is not a leaf: its .grad stays None and the gradient flows into the caller's weight instead. Use weight.detach().clone().requires_grad_().", error=report['error']))
    problems = _untouched(report, {"x": x, "y": y, "weight": w, "bias": b})
    if problems:
        fail(_("with weight and bias requiring grad, after train_linear(x, y, weight, bias, lr=0.05, steps=5): "
               "{problems}.", problems=tuple(problems)))
    # the result must not depend on whether the caller's tensors required grad
    _compare_run(report["result"], report["plain"], dict,
                 _("train_linear(..., lr=0.05, steps=5) with weight and bias requiring grad (compared with "
                   "the same call on plain tensors)"), dtype=torch.float32, rtol=RTOL32, atol=ATOL32)


@check(task="05.2", points=1, visible=False, name="Returned weight and bias are detached, in the inputs' dtype and device",
       requires=(BEHAVIOUR,))
def check_returned_detached(submission, reference):
    x, y, w, b = _problem(5, 3, 2)
    info = submission.call(probes.returned_tensors, x, y, w, b)
    shapes = {"weight": [2, 3], "bias": [2]}
    for name in ("weight", "bias"):
        t = info[name]
        expect(t["type"] == "Tensor", _("the returned {name} should be a torch.Tensor, got {type}", name=name, type=t['type']))
        expect(not t["requires_grad"],
               _("the returned {name} still requires grad: return a detached tensor ({name2}.detach())", name=name, name2=name[0]))
        expect(t["grad_fn"] is None, _("the returned {name} is still part of an autograd graph (grad_fn={grad_fn}): return a detached tensor", name=name, grad_fn=t['grad_fn']))
        expect_equal(t["dtype"], "torch.float32", what=_("dtype of the returned {name} for float32 inputs", name=name))
        expect_equal(t["device"], info["input_device"], what=_("device of the returned {name}", name=name))
        expect_equal(t["shape"], shapes[name], what=_("shape of the returned {name} for weight [2, 3]", name=name))


_CONTRACT_NAMES = {"args[0]": "x", "args[1]": "y", "args[2]": "weight", "args[3]": "bias"}
_RESULT_NAMES = {"output[0]": "weight", "output[1]": "bias"}


def _contract_cases():
    """(x, y, weight, bias, variants, kwargs): every input requiring grad, non-contiguous views,
    one sample with 1-D x and y, and steps=0 (where returning the caller's tensors is tempting)."""
    grad, view = {"requires_grad": True}, {"layout": "noncontiguous", "requires_grad": False}
    view_grad = {"layout": "noncontiguous", "requires_grad": True}
    batch, one = _problem(6, 3, 2), _problem(1, 4, 2, one_sample=True)
    all_grad = dict.fromkeys(("x", "y", "weight", "bias"), grad)
    return [
        (*batch, all_grad, {"lr": 0.05, "steps": 5}),
        (*batch, {"x": view, "y": view, "weight": view_grad, "bias": view_grad}, {"lr": 0.05, "steps": 5}),
        (*one, {}, {"lr": 0.05, "steps": 5}),
        (*one, all_grad, {"lr": 0.05, "steps": 5}),
        (*batch, {}, {"lr": 0.05, "steps": 0}),
        (*batch, all_grad, {"lr": 0.05, "steps": 0}),
    ]


def _kind(view: bool, grad: bool, names: str) -> Msg:
    if view and grad:
        return _("{names} a non-contiguous view requiring grad", names=names)
    return _("{names} a non-contiguous view", names=names) if view else _("{names} requiring grad", names=names)


def _contract_what(case) -> Msg:
    x, y, _w, _b, variants, kwargs = case
    kinds: dict[tuple[bool, bool], list[str]] = {}
    for name, v in variants.items():
        kind = (v.get("layout") == "noncontiguous", bool(v.get("requires_grad")))
        kinds.setdefault(kind, []).append(name)
    parts = tuple(_kind(*kind, ", ".join(names)) for kind, names in kinds.items() if any(kind))
    call = f"train_linear(x {list(x.shape)}, y {list(y.shape)}, weight, bias, lr={kwargs['lr']}, steps={kwargs['steps']})"
    return _("{call} with {kinds}", call=call, kinds=parts) if parts else _("{call}", call=call)


def _contract_reports(submission):
    """[(case, report)] for every case; a report is a dict, with "raised" when the call raised."""
    cases = _contract_cases()
    reports = submission.call(probes.observe_calls, cases)
    if not isinstance(reports, list) or len(reports) != len(cases) or not all(isinstance(r, dict) for r in reports):
        fail(_("the calls of train_linear on the caller's tensors returned something unexpected ({type})",
               type=f"{type(reports).__name__} of length {len(reports)}" if isinstance(reports, list) else type(reports).__name__))
    return list(zip(cases, reports))


@check(task="05.2", points=2, visible=False,
       name="Inputs that require grad, views and 1-D x and y: the caller's tensors stay as they were",
       requires=(BEHAVIOUR,))
def check_caller_tensors_any_kind(submission, reference):
    for case, report in _contract_reports(submission):
        what = _contract_what(case)
        if "raised" in report:
            fail(_("{what} raised {raised}", what=what, raised=report['raised']))
        expect_inputs_untouched(report, what=what, names=_CONTRACT_NAMES)
        # the same result as on plain tensors: the kind of tensor the caller hands in changes nothing
        x, y, w, b, _variants, kwargs = case
        plain = submission.call(probes.train, x, y, w, b, kwargs)
        _compare_run(report.get("result"), plain, dict, _("{what}, compared with the same call on plain tensors", what=what),
                     dtype=torch.float32, rtol=RTOL32, atol=ATOL32)


@check(task="05.2", points=1, visible=False,
       name="The returned weight and bias are new tensors that do not require grad (also for steps=0)",
       requires=(BEHAVIOUR,))
def check_results_are_new_tensors(submission, reference):
    ran = [(case, report) for case, report in _contract_reports(submission) if "raised" not in report]
    if not ran:  # every call raised: nothing returned to inspect (caller_tensors_any_kind says why)
        fail(_("train_linear raised on every call with the caller's tensors requiring grad, as views, 1-D or with steps=0, so no result could be inspected"))
    for case, report in ran:
        what = _contract_what(case)
        expect_no_alias(report, what=what, names={**_CONTRACT_NAMES, **_RESULT_NAMES})
        for path, name in _RESULT_NAMES.items():
            facts = output_facts(report, path, what)
            if facts.get("requires_grad") or facts.get("grad_fn") is not None:
                fail(_("{what}: the returned {name} requires grad (grad_fn={grad_fn}); return a detached copy ({name}.detach().clone()), not the caller's tensor or a tensor still in the graph", what=what, name=name, grad_fn=facts.get("grad_fn")))


@check(task="05.2", points=1, visible=False, name="Works when called inside torch.no_grad()",
       requires=(BEHAVIOUR,))
def check_called_under_no_grad(submission, reference):
    x, y, w, b = _problem(6, 3, 2)
    kwargs = {"lr": 0.05, "steps": 5}
    what = _("train_linear(x [6, 3], y [6, 2], weight, bias, lr=0.05, steps=5) called inside torch.no_grad()")
    got = submission.call(probes.train_under_no_grad, x, y, w, b, kwargs)
    if not isinstance(got, dict) or "raised" in got or not isinstance(got.get("losses"), list):
        fail(_("{what} raised {value}: autograd is off there, so loss.backward() has no graph; wrap the training loop in `with torch.enable_grad():`", what=what, value=repr(got.get('raised') if isinstance(got, dict) else got)))
    plain = submission.call(probes.train, x, y, w, b, kwargs)  # the loop itself is judged elsewhere
    _compare_run(got, plain, dict, _("{what}, compared with the same call outside it", what=what), dtype=torch.float32,
                 rtol=RTOL32, atol=ATOL32)


# ---------------------------------------------------------------- 05.3 the rules

def _nn_module_names() -> list[str]:
    """Every nn.Module subclass torch.nn exports (nn.Linear, nn.MSELoss, nn.Module, ...): the rule's
    names; torch.nn.functional, torch.nn.init and nn.Parameter stay allowed."""
    return sorted(n for n, v in vars(torch.nn).items()
                  if isinstance(v, type) and issubclass(v, torch.nn.Module))


RULE_POLICY = Policy(forbidden={
    "torch.optim": _("torch.optim is not allowed: write the update w -= lr * w.grad yourself"),
    "torch.nn.modules": _("torch.nn modules are not allowed: use torch.nn.functional and tensors"),
    **{f"torch.nn.{n}": _("nn.{name} is a torch.nn module, not allowed: use torch.nn.functional and tensors", name=n)
       for n in _nn_module_names()},
})


@check(task="05.3", points=2, visible=True, name="No torch.optim and no torch.nn modules in the source",
       requires=(BEHAVIOUR,))
def check_no_optim_or_nn_in_source(submission, reference):
    # Decided here, on the text handed in: a run-time watch in the student's process can be undone
    # by the code it watches. Computed names (getattr(torch, "op" + "tim"), __import__, importlib,
    # ...) are violations too: code that hides what it uses cannot be shown to follow the rule.
    x, y, w, b = _problem(4, 3, 2)
    submission.call(probes.train, x, y, w, b, {"lr": 0.05, "steps": 2})  # a stub reports "not implemented"
    sources = {name: text for name, text in submission.source.items() if name.endswith(".py")}
    expect_policy(sources, RULE_POLICY,
                  rule=_("train a linear model by hand: torch.optim and torch.nn modules (nn.Linear, nn.MSELoss, nn.Module, ...) are not allowed, nor code that reaches names it does not write out; use torch.nn.functional and tensors. Found"))


@check(task="05.3", points=2, visible=False, name="No optimizer and no nn.Module is used while training",
       requires=(BEHAVIOUR,))
def check_no_optim_or_nn_at_run_time(submission, reference):
    x, y, w, b = _problem(4, 3, 2)
    got = submission.call(probes.forbidden_at_run_time, x, y, w, b)
    found = got["built"] + got["in_module"]
    if found:
        fail(_("train a linear model by hand: no torch.optim optimizer and no torch.nn module may be used. "
               "While train_linear ran (or in your module) the grader found: {found}", found=", ".join(found)))
