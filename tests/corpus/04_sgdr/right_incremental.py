# expect-fail:
"""Correct, incremental: keeps T_cur / T_i like torch's CosineAnnealingWarmRestarts and overrides step()."""
import math

from torch.optim.lr_scheduler import LRScheduler


class WarmupCosineRestarts(LRScheduler):
    def __init__(self, optimizer, warmup_steps, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        for name, value, low in (("warmup_steps", warmup_steps, 0), ("T_0", T_0, 1), ("T_mult", T_mult, 1)):
            if type(value) is not int:
                raise ValueError(f"{name} must be an int")
            if value < low:
                raise ValueError(f"{name} must be >= {low}")
        if not eta_min >= 0:  # NaN too
            raise ValueError("eta_min must be >= 0")
        self.warmup_steps = warmup_steps
        self.T_0 = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = 0      # steps since the last restart (valid once t >= warmup_steps)
        self.T_i = T_0      # length of the current cycle
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t = self.last_epoch
        if t < self.warmup_steps:
            frac = t / self.warmup_steps
            return [self.eta_min + (b - self.eta_min) * frac for b in self.base_lrs]
        cos = (1 + math.cos(math.pi * self.T_cur / self.T_i)) / 2
        return [self.eta_min + (b - self.eta_min) * cos for b in self.base_lrs]

    def step(self, epoch=None):
        self.last_epoch += 1
        if self.last_epoch > self.warmup_steps:   # one more step inside SGDR
            self.T_cur += 1
            if self.T_cur >= self.T_i:
                self.T_cur -= self.T_i
                self.T_i *= self.T_mult
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]
