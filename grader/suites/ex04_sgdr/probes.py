"""Probes for exercise 04 (run inside the sandbox against the student's module).

Each probe drives the student's scheduler with a throw-away SGD optimizer (one parameter per
group, no gradients, so optimizer.step() is a no-op that only satisfies torch's call-order
check) and returns the lrs as plain Python floats.
"""

import copy

import torch

from grader.probe import probe, raised


def _optimizer(base_lrs):
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": float(lr)} for lr in base_lrs]
    return torch.optim.SGD(groups, lr=float(base_lrs[0]))


def _scheduler(sub, opt, config):
    """Keyword arguments only; a key missing from config (None) leaves the signature's default."""
    kwargs = {name: config[name] for name in ("warmup_steps", "T_0", "T_mult", "eta_min")
              if config.get(name) is not None}
    return sub.module.WarmupCosineRestarts(opt, **kwargs)


def _group_lrs(opt):
    return [float(group["lr"]) for group in opt.param_groups]


def _step(opt, sched):
    opt.step()
    sched.step()


def _trace(opt, sched, steps):
    """The groups' lrs now and after each of `steps` scheduler steps."""
    lrs = [_group_lrs(opt)]
    for _ in range(steps):
        _step(opt, sched)
        lrs.append(_group_lrs(opt))
    return lrs


@probe
def schedule(sub, config, steps):
    """lrs[t][i]: lr of group i after t scheduler steps (t = 0: right after construction)."""
    opt = _optimizer(config["base_lrs"])
    return {"lrs": _trace(opt, _scheduler(sub, opt, config), steps)}


@probe
def last_lr(sub, config, steps):
    """What get_last_lr() returns after each step, next to the optimizer's actual lrs."""
    opt = _optimizer(config["base_lrs"])
    sched = _scheduler(sub, opt, config)
    lrs, last, last_types, group_types = [], [], [], []
    for t in range(steps + 1):
        if t:
            _step(opt, sched)
        lrs.append(_group_lrs(opt))
        try:
            got = sched.get_last_lr()
        except Exception as exc:
            return {"raised": f"{type(exc).__name__}: {exc}", "at": t}
        if isinstance(got, (list, tuple)):
            last.append([float(v) if isinstance(v, (int, float, torch.Tensor)) else None for v in got])
            last_types.append(sorted({type(v).__name__ for v in got}))
        else:
            last.append(None)
            last_types.append([type(got).__name__])
        group_types.append(sorted({type(g["lr"]).__name__ for g in opt.param_groups}))
    return {"raised": None, "lrs": lrs, "last": last, "last_types": last_types, "group_types": group_types}


@probe
def resume(sub, config, split, steps):
    """Checkpoint after `split` steps and resume, the usual way.

    The first scheduler runs `split` steps; deep copies of both state_dicts (as torch.save would
    make) are loaded into a NEW optimizer and a NEW scheduler built with the same arguments,
    which then run up to `steps`. "resumed"[k] is the restored optimizer's lr at t = split + k
    (k = 0: right after loading). "straight" is a third, uninterrupted run for t = 0..steps.
    """
    opt = _optimizer(config["base_lrs"])
    sched = _scheduler(sub, opt, config)
    for _ in range(split):
        _step(opt, sched)
    opt_state = copy.deepcopy(opt.state_dict())
    sched_state = copy.deepcopy(sched.state_dict())
    del sched, opt  # nothing may survive outside the checkpoint

    opt2 = _optimizer(config["base_lrs"])
    sched2 = _scheduler(sub, opt2, config)
    opt2.load_state_dict(opt_state)
    sched2.load_state_dict(sched_state)
    resumed = _trace(opt2, sched2, steps - split)

    opt3 = _optimizer(config["base_lrs"])
    straight = _trace(opt3, _scheduler(sub, opt3, config), steps)
    return {"resumed": resumed, "straight": straight}


@probe
def two_schedulers(sub, config_a, config_b, steps):
    """Two schedulers on two optimizers, built one after the other and stepped alternately.

    "a"[t] / "b"[t]: the lrs of each after t steps of its own; state shared between the two
    (a class attribute, a module global) shows up as a schedule that is off.
    """
    opt_a = _optimizer(config_a["base_lrs"])
    sched_a = _scheduler(sub, opt_a, config_a)
    lrs_a = [_group_lrs(opt_a)]
    _step(opt_a, sched_a)  # a is one step ahead when b is built
    lrs_a.append(_group_lrs(opt_a))
    opt_b = _optimizer(config_b["base_lrs"])
    sched_b = _scheduler(sub, opt_b, config_b)
    lrs_b = [_group_lrs(opt_b)]
    for t in range(1, steps + 1):
        if t + 1 <= steps:
            _step(opt_a, sched_a)
            lrs_a.append(_group_lrs(opt_a))
        _step(opt_b, sched_b)
        lrs_b.append(_group_lrs(opt_b))
    return {"a": lrs_a, "b": lrs_b}


@probe
def validation(sub, bad, good):
    """bad: {name: kwargs} -> exception class name or None. good: kwargs that must construct
    (an exception there propagates, so the student sees it with its traceback)."""
    for kwargs in good:
        sub.module.WarmupCosineRestarts(_optimizer([0.1]), **kwargs)
    return {name: raised(sub.module.WarmupCosineRestarts, _optimizer([0.1]), **kwargs)
            for name, kwargs in bad.items()}
