"""Exercise 04 — learning-rate warmup followed by SGDR (cosine annealing with warm restarts).

Implement the TODOs below. See README.md for the full specification.

    t < warmup_steps:   lr = eta_min + (base_lr - eta_min) * t / warmup_steps
    otherwise:          t' = t - warmup_steps, and
                        lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2
                        exactly as torch.optim.lr_scheduler.CosineAnnealingWarmRestarts after t' steps

``t`` is ``self.last_epoch`` (0 right after construction, +1 at every ``scheduler.step()``), and
``base_lr`` is each param group's initial lr (``self.base_lrs[i]``, set by the base class).
"""

import math  # noqa: F401  (math.cos, math.pi)

from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler


class WarmupCosineRestarts(LRScheduler):
    """Linear warmup from ``eta_min`` to each group's initial lr, then SGDR.

    Args:
        optimizer:    the wrapped optimizer; every param group has its own initial lr (``base_lr``).
        warmup_steps: number of warmup steps (int >= 0; 0 means no warmup).
        T_0:          length of the first SGDR cycle, in steps (int >= 1).
        T_mult:       factor by which the cycle length grows after each restart (int >= 1).
        eta_min:      minimum learning rate (number >= 0; NaN is rejected).
        last_epoch:   passed on to ``LRScheduler`` (-1: start a new schedule).

    Raises:
        ValueError: if an argument is out of range or ``warmup_steps``, ``T_0`` or ``T_mult``
            is not an ``int`` (``2.0`` is a float, not an int).

    Use it like any PyTorch scheduler::

        sched = WarmupCosineRestarts(opt, warmup_steps=5, T_0=10, T_mult=2, eta_min=1e-5)
        for batch in loader:
            ...
            opt.step()
            sched.step()

    ``scheduler.state_dict()`` / ``load_state_dict()`` (inherited from ``LRScheduler``) save
    everything in ``self.__dict__`` except the optimizer: a scheduler restored from a checkpoint
    must continue exactly where the saved one was.
    """

    # TODO(04.4): keep ALL the state of the schedule in attributes of self (or in last_epoch
    # alone, with a closed form; never on the class or in a module global, which two schedulers
    # would share), so that the inherited state_dict()/load_state_dict() resume
    # a schedule mid-cycle exactly. If you override step(), keep get_last_lr() up to date.

    def __init__(self, optimizer: Optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1) -> None:
        # TODO(04.1): validate the arguments (ValueError), store them on self, then call
        # super().__init__(optimizer, last_epoch) LAST: it already computes the lr of step 0.
        raise NotImplementedError(
            "TODO(04.1): validate warmup_steps, T_0, T_mult, eta_min (ValueError), store them, "
            "then call super().__init__(optimizer, last_epoch)"
        )

    def get_lr(self) -> list[float]:
        """Return the lr of every param group at step ``t = self.last_epoch`` (a list of floats)."""
        t = self.last_epoch
        if t < self.warmup_steps:
            # TODO(04.2): linear warmup from eta_min (t = 0) towards base_lr (t = warmup_steps).
            raise NotImplementedError(
                "TODO(04.2): return [eta_min + (base_lr - eta_min) * t / warmup_steps for each base_lr]"
            )
        # TODO(04.3): SGDR on t' = t - warmup_steps: find T_cur and T_i (cycle lengths
        # T_0, T_0*T_mult, T_0*T_mult**2, ...) and apply the cosine formula for every base_lr.
        raise NotImplementedError(
            "TODO(04.3): cosine annealing with warm restarts on t' = t - warmup_steps"
        )
