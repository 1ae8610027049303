# expect-fail:
"""Correct, closed form in _get_closed_form_lr (geometric series with integer arithmetic)."""
import math

import torch


class WarmupCosineRestarts(torch.optim.lr_scheduler.LRScheduler):
    def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1):
        if not all(isinstance(v, int) for v in (warmup_steps, T_0, T_mult)):
            raise ValueError("warmup_steps, T_0 and T_mult must be integers")
        if warmup_steps < 0 or T_0 < 1 or T_mult < 1 or not eta_min >= 0:
            raise ValueError("argument out of range")
        self.warmup_steps, self.T_0, self.T_mult, self.eta_min = warmup_steps, T_0, T_mult, eta_min
        super().__init__(optimizer, last_epoch)

    def _start_of_cycle(self, n):
        """First step t' of cycle n: T_0 * (1 + m + ... + m^(n-1))."""
        if self.T_mult == 1:
            return self.T_0 * n
        return self.T_0 * (self.T_mult ** n - 1) // (self.T_mult - 1)

    def _get_closed_form_lr(self):
        t = self.last_epoch
        w = self.warmup_steps
        if t < w:
            return [self.eta_min + (base - self.eta_min) * (t / w) for base in self.base_lrs]
        tp = t - w
        if self.T_mult == 1:
            n = tp // self.T_0
        else:
            n = 0
            while self._start_of_cycle(n + 1) <= tp:
                n += 1
        T_cur = tp - self._start_of_cycle(n)
        T_i = self.T_0 * self.T_mult ** n
        factor = 0.5 * (1.0 + math.cos(math.pi * T_cur / T_i))
        return [self.eta_min + factor * (base - self.eta_min) for base in self.base_lrs]

    def get_lr(self):
        return self._get_closed_form_lr()
