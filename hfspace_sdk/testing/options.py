"""Per-server behaviour switches of the look-alikes, and how compute time is paced (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .failures import FAILURE_MODES

__all__ = ["PROGRESS_FLOOR", "PROGRESS_FLOOR_ENV", "AppOptions", "step_pauses"]

#: Minimum duration (s) of the first step of a call that reports progress (see step_pauses).
PROGRESS_FLOOR = 0.12
#: Environment variable of the server process that overrides :data:`PROGRESS_FLOOR`
#: (benchmarks set it to 0 for truly zero-compute Spaces).
PROGRESS_FLOOR_ENV = "HFSPACE_LOOKALIKE_PROGRESS_FLOOR"


@dataclass(frozen=True)
class AppOptions:
    """Behaviour switches shared by every look-alike in one server.

    ``fail``: a failure mode (see :data:`~hfspace_sdk.testing.failures.FAILURE_MODES`) that makes
    every call fail, or ``None``. ``compute_seconds``: simulated compute time per call, slept
    across the steps of the call.
    """

    fail: Optional[str] = None
    compute_seconds: float = 0.0
    progress_floor: float = PROGRESS_FLOOR

    def __post_init__(self) -> None:
        if self.fail is not None and self.fail not in FAILURE_MODES:
            raise ValueError(f"unknown failure mode {self.fail!r}; expected one of {FAILURE_MODES}")
        if not self.compute_seconds >= 0:
            raise ValueError("compute_seconds must be >= 0")


def step_pauses(options: AppOptions, steps: int, *, visible_progress: bool = True) -> list[float]:
    """Seconds to sleep after each step so that a call takes ``compute_seconds`` in total.

    With ``visible_progress``, the first step lasts at least :data:`PROGRESS_FLOOR` seconds:
    gradio samples progress every 10 ms (6.x) or 100 ms (4.x) and drops updates that are
    overwritten in between, so without this pause a fast call would report no progress at all.
    """
    steps = max(1, steps)
    total = max(0.0, options.compute_seconds)
    pauses = [total / steps] * steps
    floor = options.progress_floor
    if visible_progress and pauses[0] < floor:
        pauses[0] = floor
        rest = max(0.0, total - floor) / (steps - 1) if steps > 1 else 0.0
        pauses[1:] = [rest] * (steps - 1)
    return pauses
