# expect-fail:
"""Correct, written differently: a factor of base_lr (LambdaLR style), cos² instead of (1 + cos) / 2, math.isnan."""
import math

from torch.optim.lr_scheduler import LRScheduler


class WarmupCosineRestarts(LRScheduler):
    def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1):
        for name, value, low in (("warmup_steps", warmup_steps, 0), ("T_0", T_0, 1), ("T_mult", T_mult, 1)):
            if type(value) is not int or value < low:
                raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
        if math.isnan(eta_min) or eta_min < 0:
            raise ValueError(f"eta_min must be >= 0, got {eta_min!r}")
        self.warmup_steps, self.T_0, self.T_mult, self.eta_min = warmup_steps, T_0, T_mult, eta_min
        super().__init__(optimizer, last_epoch)

    def _factor(self, t, base_lr):
        """lr / base_lr at step t."""
        floor = self.eta_min / base_lr
        if t < self.warmup_steps:
            return floor + (1 - floor) * (t / self.warmup_steps)
        tp, T_i = t - self.warmup_steps, self.T_0
        while tp >= T_i:
            tp, T_i = tp - T_i, T_i * self.T_mult
        return floor + (1 - floor) * math.cos(math.pi * tp / (2 * T_i)) ** 2

    def get_lr(self):
        return [base_lr * self._factor(self.last_epoch, base_lr) for base_lr in self.base_lrs]
