# do-nothing: the scheduler never changes the lr (get_lr returns every group's initial lr) and validates nothing.
from torch.optim.lr_scheduler import LRScheduler


class WarmupCosineRestarts(LRScheduler):
    def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1):
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return list(self.base_lrs)
