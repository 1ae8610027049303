# blind-wrong: keeps the cycle counters in a dict defined on the class (a mutable class attribute), so two schedulers share one state and state_dict() does not save it.
import math

from torch.optim.lr_scheduler import LRScheduler


class WarmupCosineRestarts(LRScheduler):
    cycle = {"T_cur": 0, "T_i": 1}

    def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1):
        for name, value, low in (("warmup_steps", warmup_steps, 0), ("T_0", T_0, 1), ("T_mult", T_mult, 1)):
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
        if isinstance(eta_min, bool) or not isinstance(eta_min, (int, float)) or not eta_min >= 0:
            raise ValueError(f"eta_min must be >= 0, got {eta_min!r}")
        self.warmup_steps = warmup_steps
        self.T_0 = T_0
        self.T_mult = T_mult
        self.eta_min = float(eta_min)
        self.cycle["T_cur"] = 0
        self.cycle["T_i"] = T_0
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t = self.last_epoch
        if t < self.warmup_steps:
            return [self.eta_min + (b - self.eta_min) * t / self.warmup_steps for b in self.base_lrs]
        if t > self.warmup_steps:
            self.cycle["T_cur"] += 1
            if self.cycle["T_cur"] >= self.cycle["T_i"]:
                self.cycle["T_cur"] -= self.cycle["T_i"]
                self.cycle["T_i"] *= self.T_mult
        T_cur, T_i = self.cycle["T_cur"], self.cycle["T_i"]
        return [self.eta_min + (b - self.eta_min) * (1 + math.cos(math.pi * T_cur / T_i)) / 2
                for b in self.base_lrs]
