"""How busy a Space's Gradio queue is: ``GET {prefix}/queue/status`` (pure parsing).

Users want the queue length before submitting (gradio#11150). Gradio 4.44, 5.x and 6.x answer
``{"msg": "estimation", "event_id": null, "rank": null, "queue_size": 0, "rank_eta": null}``,
``rank_eta`` in seconds when the server has an estimate. The request is made by
:meth:`hfspace_sdk.Space.queue_status`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from .errors import ProtocolError

__all__ = ["QueueStatus", "parse_queue_status"]


@dataclass(frozen=True)
class QueueStatus:
    """A snapshot of a Space's queue.

    Attributes:
        queue_size: the jobs waiting or running in the queue.
        eta: the Space's estimate in seconds of the wait for a new job, or None when it has
            none (no job finished yet, or an empty queue).
    """

    queue_size: int
    eta: Optional[float] = None


def parse_queue_status(answer: Any, *, space: Optional[str] = None) -> QueueStatus:
    """The queue status in the Space's JSON answer (already decoded).

    Raises:
        ProtocolError: not an object, no integer ``queue_size``, or a ``rank_eta`` that is
            neither a number nor null.
    """
    what = "The Space's queue status"
    if not isinstance(answer, Mapping):
        raise ProtocolError(f"{what} is not a JSON object: {answer!r:.60}", space=space)
    size = answer.get("queue_size")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ProtocolError(f"{what} has queue_size = {size!r:.60}, not a count", space=space)
    eta = answer.get("rank_eta")
    if eta is not None and (
        isinstance(eta, bool) or not isinstance(eta, (int, float)) or not math.isfinite(eta)
    ):
        raise ProtocolError(f"{what} has rank_eta = {eta!r:.60}, not seconds", space=space)
    return QueueStatus(queue_size=size, eta=None if eta is None else max(0.0, float(eta)))
