"""Checks for exercise 04 — WarmupCosineRestarts (linear warmup + SGDR).

Oracle: the warmup formula for t < warmup_steps, then torch's own CosineAnnealingWarmRestarts
stepped t - warmup_steps times (computed here in the judge). Typical mistakes are recognised by
computing the schedule once more with the mistake (see _variant) and passing it to `mistakes=`.
"""

import math
import warnings

import torch
from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts

from grader.i18n import _
from grader.judge import check, expect_close, expect_equal, fail

from . import probes

RTOL = 1e-6
ATOL = 1e-8
# float64 accuracy (check_float64_accuracy): correct formulations (cos, cos², lambda-style factors)
# stay within 2 % of this; a float32 cosine is 1e5..1e7 times off (measured on the configs below).
F64_RTOL = 1e-12
F64_ATOL = 1e-15


# ---------------------------------------------------------------- oracle and mistaken variants

def _config(base_lrs, warmup_steps, T_0, T_mult=1, eta_min=0.0):
    """T_mult=None / eta_min=None: the probe leaves the argument out (the signature's default)."""
    return {"base_lrs": list(base_lrs), "warmup_steps": warmup_steps, "T_0": T_0,
            "T_mult": T_mult, "eta_min": eta_min}


def _describe(c):
    args = ", ".join(f"{k}={c[k]}" for k in ("warmup_steps", "T_0", "T_mult", "eta_min") if c[k] is not None)
    return f"WarmupCosineRestarts({args}), base_lrs={c['base_lrs']}"  # code: the same in every language


def _filled(c):
    """The config with the spec's defaults (T_mult=1, eta_min=0.0) where the probe leaves them out."""
    return {**c, "T_mult": 1 if c["T_mult"] is None else c["T_mult"],
            "eta_min": 0.0 if c["eta_min"] is None else c["eta_min"]}


def _oracle(c, steps):
    """lrs[t][i] for t = 0..steps: warmup formula, then torch's CosineAnnealingWarmRestarts."""
    c = _filled(c)
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in c["base_lrs"]]
    opt = torch.optim.SGD(groups, lr=c["base_lrs"][0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sgdr = CosineAnnealingWarmRestarts(opt, T_0=c["T_0"], T_mult=c["T_mult"], eta_min=c["eta_min"])
        after_warmup = [[float(g["lr"]) for g in opt.param_groups]]
        for _step in range(max(0, steps - c["warmup_steps"])):
            opt.step()
            sgdr.step()
            after_warmup.append([float(g["lr"]) for g in opt.param_groups])
    w, eta = c["warmup_steps"], c["eta_min"]
    return [
        [eta + (b - eta) * t / w for b in c["base_lrs"]] if t < w else after_warmup[t - w]
        for t in range(steps + 1)
    ]


def _variant(c, steps, *, late=None, t_mult=None, warm_shift=0, eta_min=None, first_group=False,
             log_cycles=False, warm_from_zero=False, float32_cos=False):
    """Closed-form schedule with one deliberate mistake (for `mistakes=` hints only)."""
    c = _filled(c)
    T_0 = c["T_0"]
    T_mult = c["T_mult"] if t_mult is None else t_mult
    eta = c["eta_min"] if eta_min is None else eta_min
    w = c["warmup_steps"]
    bases = [c["base_lrs"][0]] * len(c["base_lrs"]) if first_group else c["base_lrs"]

    def position(tp):
        if log_cycles and tp >= T_0 and T_mult > 1:
            n = int(math.log(tp / T_0 * (T_mult - 1) + 1, T_mult))
            return tp - T_0 * (T_mult ** n - 1) / (T_mult - 1), T_0 * T_mult ** n
        T_i = T_0
        if late == "skip":  # T_cur runs up to T_i (lr = eta_min), then jumps to 1 of the next cycle
            while tp > T_i:
                tp -= T_i
                T_i *= T_mult
        elif late == "extend":  # every cycle is one step longer, ending on lr = eta_min
            while tp >= T_i + 1:
                tp -= T_i + 1
                T_i *= T_mult
        else:
            while tp >= T_i:
                tp -= T_i
                T_i *= T_mult
        return tp, T_i

    rows = []
    for t in range(steps + 1):
        if t < w:
            start = 0.0 if warm_from_zero else eta
            rows.append([start + (b - start) * min(1.0, (t + warm_shift) / w) for b in bases])
        else:
            T_cur, T_i = position(t - w)
            if float32_cos:  # torch.cos of a float32 tensor, the arithmetic after it in float32 too
                cos = torch.cos(torch.tensor(math.pi * T_cur / T_i, dtype=torch.float32))
                rows.append([float(eta + (b - eta) * (1 + cos) / 2) for b in bases])
            else:
                rows.append([eta + (b - eta) * (1 + math.cos(math.pi * T_cur / T_i)) / 2 for b in bases])
    return rows


def _t(rows):
    return torch.tensor(rows, dtype=torch.float64)


def _mistakes(c, steps, rtol=RTOL, atol=ATOL):
    """The usual suspects for a schedule; only those that differ from the oracle are kept."""
    want = _t(_oracle(c, steps))
    candidates = {
        _("the restart happens one step late: T_cur reaches T_i (lr = eta_min) before it wraps "
          "around; `T_cur > T_i` instead of `T_cur >= T_i`?"): _variant(c, steps, late="skip"),
        _("each cycle is one step too long: the lr hits eta_min at T_cur = T_i and only then "
          "restarts; `T_cur > T_i` instead of `T_cur >= T_i`?"): _variant(c, steps, late="extend"),
        _("T_mult is ignored: every cycle has length T_0"): _variant(c, steps, t_mult=1),
        _("the warmup is one step ahead: it uses (t + 1) / warmup_steps instead of t / warmup_steps"):
            _variant(c, steps, warm_shift=1),
        _("the warmup is one step behind: it uses (t - 1) / warmup_steps instead of t / warmup_steps"):
            _variant(c, steps, warm_shift=-1),
        _("eta_min is ignored: the schedule goes down to 0"): _variant(c, steps, eta_min=0.0),
        _("the warmup starts from 0 instead of eta_min"): _variant(c, steps, warm_from_zero=True),
        _("every param group uses the first group's lr: use self.base_lrs[i] for group i"):
            _variant(c, steps, first_group=True),
        _("the cycle is found with int(math.log(...)), which is one cycle short on exact "
          "boundaries since math.log(243, 3) = 4.999999999999999: use integer arithmetic"):
            _variant(c, steps, log_cycles=True),
        _("the cosine is computed in float32 (torch.cos of a float32 tensor?): compute the lr with "
          "Python floats, math.cos and math.pi"): _variant(c, steps, float32_cos=True),
    }
    return {hint: _t(rows) for hint, rows in candidates.items()
            if not torch.allclose(_t(rows), want, rtol=rtol, atol=atol)}


def _expect_schedule(got_rows, c, steps, what=None, rtol=RTOL, atol=ATOL, hint=None):
    """Compare lrs for t = 0..steps with the oracle, naming the mistake when it is a usual one."""
    expect_close(
        _t(got_rows), _t(_oracle(c, steps)), rtol=rtol, atol=atol,
        mistakes=_mistakes(c, steps, rtol, atol), hint=hint,
        what=what or _("lrs [step t, group i] for t = 0..{steps} of {scheduler}", steps=steps, scheduler=_describe(c)),
    )


def _expect_rows(rows, n_rows, n_groups, what):
    """Shape of a recorded schedule, checked before it becomes a tensor."""
    expect_equal(len(rows), n_rows, what=_("number of recorded steps in {what}", what=what))
    for t, row in enumerate(rows):
        expect_equal(len(row), n_groups, what=_("number of param group lrs at row {t} of {what}", t=t, what=what))


def _schedule(submission, c, steps):
    rows = submission.call(probes.schedule, c, steps)["lrs"]
    _expect_rows(rows, steps + 1, len(c["base_lrs"]), _("the schedule"))
    return rows


# ---------------------------------------------------------------- 04.1 validation

_VALID = [
    dict(warmup_steps=0, T_0=1),
    dict(warmup_steps=3, T_0=4, T_mult=2, eta_min=0),
    dict(warmup_steps=1, T_0=1, T_mult=1, eta_min=0.001),
]


def _expect_value_errors(submission, cases, why=""):
    """cases: {"the arguments as the student reads them": kwargs}; `why` is added to a failure."""
    got = submission.call(probes.validation, cases, _VALID)
    if not isinstance(got, dict) or set(got) != set(cases):
        fail(_("the validation probe returned {name} {value}, expected one outcome per argument set {cases}", name=type(got).__name__, value=sorted(got) if isinstance(got, dict) else '', cases=sorted(cases)))
    for name in cases:
        if got[name] != "ValueError":
            found = _("returned normally") if got[name] is None else _("raised {error}", error=str(got[name]))
            fail(_("WarmupCosineRestarts(optimizer, {name}) should raise ValueError, but it {found}.{why}", name=name, found=found, why=why))


@check(task="04.1", points=1, visible=True, name="Constructor rejects out-of-range arguments")
def check_rejects_out_of_range(submission):
    _expect_value_errors(submission, {
        "warmup_steps=-1, T_0=10": dict(warmup_steps=-1, T_0=10),
        "warmup_steps=2, T_0=0": dict(warmup_steps=2, T_0=0),
        "warmup_steps=2, T_0=-3": dict(warmup_steps=2, T_0=-3),
        "warmup_steps=2, T_0=5, T_mult=0": dict(warmup_steps=2, T_0=5, T_mult=0),
        "warmup_steps=2, T_0=5, eta_min=-0.001": dict(warmup_steps=2, T_0=5, eta_min=-0.001),
    })


@check(task="04.1", points=1, visible=False, name="Constructor rejects eta_min=nan")
def check_rejects_nan_eta_min(submission):
    _expect_value_errors(submission, {
        "warmup_steps=2, T_0=5, eta_min=float('nan')": dict(warmup_steps=2, T_0=5, eta_min=float("nan")),
    }, why=_(" `eta_min < 0` is False for NaN: test `not eta_min >= 0`."))


@check(task="04.1", points=1, visible=False, name="Constructor rejects non-integer step counts")
def check_rejects_non_integers(submission):
    _expect_value_errors(submission, {
        "warmup_steps=2.5, T_0=10": dict(warmup_steps=2.5, T_0=10),
        "warmup_steps=2, T_0=1.5": dict(warmup_steps=2, T_0=1.5),
        "warmup_steps=2, T_0=5, T_mult=1.5": dict(warmup_steps=2, T_0=5, T_mult=1.5),
    })


@check(task="04.1", points=1, visible=False, name="Constructor rejects whole-valued floats as step counts")
def check_rejects_whole_floats(submission):
    _expect_value_errors(submission, {
        "warmup_steps=3.0, T_0=10": dict(warmup_steps=3.0, T_0=10),
        "warmup_steps=2, T_0=2.0": dict(warmup_steps=2, T_0=2.0),
        "warmup_steps=2, T_0=5, T_mult=2.0": dict(warmup_steps=2, T_0=5, T_mult=2.0),
    }, why=_(" A float is not an int even when its value is whole: check the type, not the value."))


# ---------------------------------------------------------------- 04.2 warmup, get_last_lr

@check(task="04.2", points=2, visible=True, name="Warmup is linear from eta_min")
def check_warmup_is_linear(submission):
    c = _config([0.1], warmup_steps=5, T_0=10, eta_min=0.001)
    _expect_schedule(_schedule(submission, c, 7), c, 7)


@check(task="04.2", points=1, visible=True, name="get_last_lr() returns the current lrs as floats",
       requires=("warmup_is_linear",))
def check_get_last_lr(submission):
    c = _config([0.1, 0.02], warmup_steps=2, T_0=3, T_mult=2, eta_min=0.001)
    steps = 12
    got = submission.call(probes.last_lr, c, steps)
    if got["raised"]:
        fail(_("get_last_lr() at t = {at} raised {raised}. If you override step(), set self._last_lr = [group['lr'] for group in self.optimizer.param_groups] after updating the groups (LRScheduler.step() does this for you).", at=got['at'], raised=got['raised']))
    for t in range(steps + 1):
        if got["last"][t] is None or any(v is None for v in got["last"][t]):
            fail(_("get_last_lr() at t = {t} returned types {value}, expected a list of floats (one per param group).", t=t, value=got['last_types'][t]))
        expect_equal(got["last_types"][t], ["float"], what=_("types of get_last_lr() entries at t = {t}", t=t))
        expect_equal(got["group_types"][t], ["float"],
                     what=_("types of optimizer.param_groups[i]['lr'] at t = {t}", t=t))
        expect_equal(len(got["last"][t]), len(c["base_lrs"]),
                     what=_("length of get_last_lr() at t = {t} (one entry per param group)", t=t))
        expect_close(_t(got["last"][t]), _t(got["lrs"][t]), rtol=0, atol=0,
                     what=_("get_last_lr() at t = {t} versus the optimizer's current lrs", t=t),
                     hint=_("get_last_lr() must return the lrs just written into the optimizer; if you override step(), set self._last_lr after updating the groups."))


# ---------------------------------------------------------------- 04.3 SGDR

@check(task="04.3", points=2, visible=True, name="warmup_steps=0 equals torch's CosineAnnealingWarmRestarts")
def check_no_warmup_equals_torch(submission):
    c = _config([0.1], warmup_steps=0, T_0=5)
    _expect_schedule(_schedule(submission, c, 23), c, 23)
    # T_mult and eta_min left out: the defaults of the interface (T_mult=1, eta_min=0.0).
    c = _config([0.1], warmup_steps=0, T_0=4, T_mult=None, eta_min=None)
    _expect_schedule(_schedule(submission, c, 13), c, 13, hint=(
        _("This call leaves T_mult and eta_min out: the defaults must be T_mult=1, eta_min=0.0.")))


@check(task="04.3", points=2, visible=False, name="Cycles grow by T_mult after each restart")
def check_t_mult(submission):
    c = _config([0.1], warmup_steps=0, T_0=2, T_mult=2)
    _expect_schedule(_schedule(submission, c, 40), c, 40)


@check(task="04.3", points=1, visible=False, name="eta_min is the floor of every cycle")
def check_eta_min(submission):
    c = _config([0.1], warmup_steps=3, T_0=4, eta_min=0.01)
    _expect_schedule(_schedule(submission, c, 20), c, 20)


@check(task="04.3", points=2, visible=False, name="Each param group uses its own initial lr")
def check_param_groups(submission):
    c = _config([0.1, 0.03, 1.0], warmup_steps=2, T_0=3, T_mult=2, eta_min=0.001)
    _expect_schedule(_schedule(submission, c, 25), c, 25)


@check(task="04.3", points=3, visible=False, name="Long schedules match the oracle")
def check_long_sequences(submission):
    configs = [
        (_config([0.1], warmup_steps=0, T_0=1), 50),
        (_config([0.5, 0.05], warmup_steps=10, T_0=7, eta_min=1e-4), 200),
        (_config([0.1], warmup_steps=3, T_0=5, T_mult=2), 300),
        (_config([0.2, 0.02, 0.002], warmup_steps=20, T_0=4, T_mult=2, eta_min=1e-5), 400),
        (_config([1.0], warmup_steps=1, T_0=10, T_mult=4, eta_min=0.01), 500),
    ]
    for c, steps in configs:
        _expect_schedule(_schedule(submission, c, steps), c, steps)


@check(task="04.3", points=2, visible=False, name="Restarts happen exactly on cycle boundaries, even late")
def check_exact_restarts(submission):
    # Boundaries where int(math.log(...)) is off by one: t' = 121 (T_0=1, T_mult=3),
    # t' = 242 (T_0=2, T_mult=3), t' = 111 (T_0=1, T_mult=10).
    for c, steps, boundary in [
        (_config([0.1], warmup_steps=0, T_0=1, T_mult=3, eta_min=0.001), 130, 121),
        (_config([0.1, 0.5], warmup_steps=5, T_0=2, T_mult=3), 250, 247),
        (_config([0.3], warmup_steps=0, T_0=1, T_mult=10), 115, 111),
    ]:
        _expect_schedule(
            _schedule(submission, c, steps), c, steps,
            what=(_("lrs [step t, group i] for t = 0..{steps} of {scheduler}; t = {boundary} starts a new cycle, so its lr must be exactly the group's initial lr", steps=steps, scheduler=_describe(c), boundary=boundary)),
        )


@check(task="04.3", points=2, visible=False, name="lrs are float64-accurate (Python floats)",
       requires=("long_sequences",))
def check_float64_accuracy(submission):
    for c, steps in [
        (_config([1.0, 0.1], warmup_steps=3, T_0=50, T_mult=2), 200),
        (_config([0.1], warmup_steps=0, T_0=30, T_mult=3, eta_min=1e-3), 150),
    ]:
        _expect_schedule(
            _schedule(submission, c, steps), c, steps, rtol=F64_RTOL, atol=F64_ATOL,
            what=(_("lrs [step t, group i] for t = 0..{steps} of {scheduler}, to float64 accuracy (relative {F64_RTOL}, absolute {F64_ATOL})", steps=steps, scheduler=_describe(c), F64_RTOL=f"{F64_RTOL:g}", F64_ATOL=f"{F64_ATOL:g}")),
            hint=_("Compute the lr with Python floats (math.cos, math.pi), not with float32 tensors."),
        )


# ---------------------------------------------------------------- 04.4 checkpointing

def _expect_resume(submission, c, split, steps):
    got = submission.call(probes.resume, c, split, steps)
    _expect_rows(got["straight"], steps + 1, len(c["base_lrs"]), "the uninterrupted schedule")
    _expect_rows(got["resumed"], steps - split + 1, len(c["base_lrs"]), "the resumed schedule")
    # Without interruption first: if this fails, the schedule itself is wrong (see the other checks).
    _expect_schedule(got["straight"], c, steps,
                     what=_("lrs for t = 0..{steps} without interruption of {scheduler}", steps=steps, scheduler=_describe(c)))
    expect_close(
        _t(got["resumed"]), _t(got["straight"][split:]), rtol=RTOL, atol=ATOL,
        what=(_("lrs for t = {split}..{steps} after saving at t = {split} and resuming with a new optimizer and scheduler (row 0 is t = {split}), versus the same run without interruption, for {scheduler}", split=split, steps=steps, scheduler=_describe(c))),
        hint=(_("Without interruption your schedule is right, so the restored scheduler lost state: state_dict() must contain everything the schedule depends on (keep every counter in an attribute of self and use the inherited state_dict()/load_state_dict(), or compute the lr from self.last_epoch alone).")),
    )


@check(task="04.4", points=2, visible=False, name="state_dict() resume mid-cycle continues identically")
def check_resume_mid_cycle(submission):
    # t = 9 is t' = 6: the third step of the second cycle (length 8).
    _expect_resume(submission, _config([0.1, 0.01], warmup_steps=3, T_0=4, T_mult=2, eta_min=1e-4), 9, 30)
    # T_mult = 1, resumed one step before a restart.
    _expect_resume(submission, _config([0.2], warmup_steps=0, T_0=6), 11, 25)
    # Resumed exactly on a restart (t = 8 is t' = 6, the first step of the third cycle).
    _expect_resume(submission, _config([0.1], warmup_steps=2, T_0=2, T_mult=2, eta_min=1e-3), 8, 24)


@check(task="04.4", points=1, visible=False, name="state_dict() resume during warmup continues identically")
def check_resume_in_warmup(submission):
    _expect_resume(submission, _config([0.1], warmup_steps=5, T_0=3, T_mult=2, eta_min=0.002), 2, 20)


@check(task="04.4", points=1, visible=False, name="Two schedulers do not share state",
       requires=("param_groups",))
def check_independent_schedulers(submission):
    a = _config([0.1], warmup_steps=2, T_0=3, T_mult=2, eta_min=1e-3)
    b = _config([0.5, 0.05], warmup_steps=1, T_0=5, T_mult=1)
    steps = 20
    got = submission.call(probes.two_schedulers, a, b, steps)
    hint = (_("If one scheduler alone follows the schedule, two schedulers share state: keep every counter in an attribute of self (not in a class attribute, a mutable default or a module global)."))
    for key, c in (("a", a), ("b", b)):
        _expect_rows(got[key], steps + 1, len(c["base_lrs"]), _("scheduler {key}", key=key))
        _expect_schedule(got[key], c, steps, hint=hint, what=(
            _("lrs of scheduler {key} = {scheduler} for t = 0..{steps}, while a second scheduler on another optimizer is built and stepped alternately with it", key=key, scheduler=_describe(c), steps=steps)))
