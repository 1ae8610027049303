# blind-wrong: requires eta_min to be a float, so the valid eta_min=0 (an int) raises ValueError.
import math

from torch.optim.lr_scheduler import LRScheduler


def _check_int(name, value, minimum):
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")


class WarmupCosineRestarts(LRScheduler):
    def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1):
        _check_int("warmup_steps", warmup_steps, 0)
        _check_int("T_0", T_0, 1)
        _check_int("T_mult", T_mult, 1)
        if not isinstance(eta_min, float) or not eta_min >= 0:

            raise ValueError(f"eta_min must be a non-negative number, got {eta_min!r}")
        self.warmup_steps = warmup_steps
        self.T_0 = T_0
        self.T_mult = T_mult
        self.eta_min = float(eta_min)
        super().__init__(optimizer, last_epoch)

    def _cycle_position(self, t: int):
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
        return [self._lr_at(base_lr, self.last_epoch) for base_lr in self.base_lrs]
