# expect-fail:
"""Correct and compact: the cycle found by walking the periods, lrs from last_epoch alone."""
import math

from torch.optim.lr_scheduler import LRScheduler


class WarmupCosineRestarts(LRScheduler):
    def __init__(self, optimizer, warmup_steps, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        for name, value, low in (("warmup_steps", warmup_steps, 0), ("T_0", T_0, 1), ("T_mult", T_mult, 1)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"{name} must be an integer, got {value!r}")
            if value < low:
                raise ValueError(f"{name} must be >= {low}, got {value}")
        if not eta_min >= 0:  # NaN too
            raise ValueError(f"eta_min must be >= 0, got {eta_min}")
        self.warmup_steps = warmup_steps
        self.T_0 = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def _cycle(self, tp):
        T_i = self.T_0
        while tp >= T_i:
            tp -= T_i
            T_i *= self.T_mult
        return tp, T_i

    def get_lr(self):
        t = self.last_epoch
        if t < self.warmup_steps:
            return [self.eta_min + (b - self.eta_min) * t / self.warmup_steps for b in self.base_lrs]
        T_cur, T_i = self._cycle(t - self.warmup_steps)
        return [self.eta_min + (b - self.eta_min) * (1 + math.cos(math.pi * T_cur / T_i)) / 2
                for b in self.base_lrs]
