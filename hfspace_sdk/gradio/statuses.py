"""What the caller sees of a job's progress: a Space's transport events as ``Reasoning`` statuses.

Providers show g4f's lines for the Space's log and progress messages (:func:`status_for`); the
generic Space client shows the queue position and the start of the run too (:func:`status_of`).
"""

from __future__ import annotations

from typing import Optional

from ..events import Reasoning
from .messages import Estimation, Log, Progress, Started, TransportEvent

__all__ = ["status_for", "status_of"]


def status_for(event: TransportEvent) -> Optional[Reasoning]:
    """g4f's status line for a Space's log or progress message, None for other events."""
    if isinstance(event, Log):
        return Reasoning(status=event.message)
    if isinstance(event, Progress):
        unit = event.units[0] if event.units else None
        if unit is None or unit.index is None or unit.length is None:
            return Reasoning(status="Generating")
        counter = f"{unit.index}/{unit.length}"
        return Reasoning(
            status=f"{unit.desc} {counter}" if unit.desc else counter,
            progress=unit.index,
            total=unit.length,
        )
    return None


def status_of(event: TransportEvent) -> Optional[Reasoning]:
    """The status to show for a transport event (None for data and heartbeats)."""
    if isinstance(event, Estimation):
        if event.rank is None:
            return Reasoning(status="Waiting in the queue", eta=event.eta)
        where = f"position {event.rank + 1}"
        if event.queue_size:
            where += f" of {event.queue_size}"
        if event.eta is not None and event.eta >= 0.5:
            where += f", about {event.eta:.0f} s"
        return Reasoning(status=f"Waiting in the queue: {where}", rank=event.rank, eta=event.eta)
    if isinstance(event, Started):
        return Reasoning(status="Running", eta=event.eta)
    return status_for(event)
