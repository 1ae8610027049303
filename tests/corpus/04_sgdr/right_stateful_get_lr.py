# expect-fail:
"""Correct, counters advanced inside get_lr() (called exactly once per step by LRScheduler.step)."""
import math

from torch.optim.lr_scheduler import LRScheduler


def _need_int(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")


class WarmupCosineRestarts(LRScheduler):
    def __init__(self, optimizer, warmup_steps, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        _need_int("warmup_steps", warmup_steps, 0)
        _need_int("T_0", T_0, 1)
        _need_int("T_mult", T_mult, 1)
        if not eta_min >= 0:
            raise ValueError(f"eta_min must be >= 0, got {eta_min}")
        self.warmup_steps = warmup_steps
        self.T_0 = T_0
        self.T_mult = T_mult
        self.eta_min = float(eta_min)
        self.cycle_len = T_0
        self.cycle_pos = -1   # becomes 0 at t = warmup_steps
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch < self.warmup_steps:
            p = self.last_epoch / self.warmup_steps
            return [(1 - p) * self.eta_min + p * base for base in self.base_lrs]
        self.cycle_pos += 1
        if self.cycle_pos == self.cycle_len:
            self.cycle_pos = 0
            self.cycle_len *= self.T_mult
        c = math.cos(math.pi * self.cycle_pos / self.cycle_len)
        return [self.eta_min + (base - self.eta_min) * (1 + c) / 2 for base in self.base_lrs]
