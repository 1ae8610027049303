"""Reference solution for exercise 04: linear warmup followed by SGDR (cosine annealing with warm restarts)."""

import math

from torch.optim.lr_scheduler import LRScheduler


def _check_int(name, value, minimum):
    # bool is a subclass of int, but WarmupCosineRestarts(opt, True, ...) is surely a bug.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")


class WarmupCosineRestarts(LRScheduler):
    """Linear warmup from ``eta_min`` to each group's initial lr, then SGDR.

    The schedule is a pure function of ``last_epoch`` (closed form): the only state is
    ``last_epoch`` itself plus the hyper-parameters, so the inherited
    ``state_dict()``/``load_state_dict()`` resume it exactly.
    """

    def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1):
        _check_int("warmup_steps", warmup_steps, 0)
        _check_int("T_0", T_0, 1)
        _check_int("T_mult", T_mult, 1)
        # `not >= 0` rather than `< 0`: NaN compares False both ways and must be rejected.
        if isinstance(eta_min, bool) or not isinstance(eta_min, (int, float)) or not eta_min >= 0:
            raise ValueError(f"eta_min must be a non-negative number, got {eta_min!r}")
        self.warmup_steps = warmup_steps
        self.T_0 = T_0
        self.T_mult = T_mult
        self.eta_min = float(eta_min)
        # Must come last: the base class computes the lr of step 0 via get_lr().
        super().__init__(optimizer, last_epoch)

    def _cycle_position(self, t: int):
        """Return (T_cur, T_i) after t steps of SGDR, with exact integer arithmetic.

        A closed form with math.log is tempting but breaks on exact boundaries
        (log(243, 3) = 4.999999999999999), so walk the cycles instead: there are only
        O(log t) of them when T_mult > 1.
        """
        if self.T_mult == 1:
            return t % self.T_0, self.T_0
        T_i = self.T_0
        while t >= T_i:
            t -= T_i
            T_i *= self.T_mult
        return t, T_i

    def _lr_at(self, base_lr, t: int):
        if t < self.warmup_steps:
            return self.eta_min + (base_lr - self.eta_min) * t / self.warmup_steps
        T_cur, T_i = self._cycle_position(t - self.warmup_steps)
        return self.eta_min + (base_lr - self.eta_min) * (1 + math.cos(math.pi * T_cur / T_i)) / 2

    def get_lr(self):
        # Every param group uses its own initial lr (self.base_lrs[i]) as eta_max.
        return [self._lr_at(base_lr, self.last_epoch) for base_lr in self.base_lrs]

    # The schedule is closed form, so step(epoch) may jump anywhere.
    _get_closed_form_lr = get_lr
