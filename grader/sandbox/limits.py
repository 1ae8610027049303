"""What one submission may use; a plain record, importable without torch."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """What one submission may use. Wall-clock limits are enforced here, the rest in the child."""

    call_timeout_s: float = 10.0
    import_timeout_s: float | None = None  # importing the student's file (its top-level code); None: as a call
    start_timeout_s: float = 120.0   # setting up the sandbox: the grader's work, not charged to the student
    budget_s: float = 120.0
    memory_mb: int = 2048
    cpu_s: int = 300
    nproc: int = 32
    fsize_mb: int = 16
    disk_mb: int = 64
    nofile: int = 256
    output_cap: int = 64 * 1024
    reply_limit: int = 64 * 2**20

    @property
    def import_timeout(self) -> float:
        return self.call_timeout_s if self.import_timeout_s is None else self.import_timeout_s


UNPRIVILEGED_UID = 65534  # nobody: what the unconfined fallback runs as when root
SANDBOX_UID_BASE = 1_500_000_000  # + the supervisor's PID: each root-run sandbox's own uid
