"""Pure parts of reconnecting a dropped queue stream: what to show again, and the truthful error.

Gradio's queue messages carry no sequence number, and a Gradio server never sends a message
twice (it pops each from the session's queue); what can go wrong across a reconnect is order:
a relay that starts over may repeat the waiting phase. :class:`EventOrder` keeps the phases
moving forward. The job's :class:`~.messages.QueueDecoder` is kept across reconnects too, so
generator diffs go on applying to the last full output.
"""

from __future__ import annotations

from typing import Optional

from ..errors import HFSpaceError, ProtocolError, SpaceConnectionError, SpaceTimeoutError
from .messages import Estimation, Started, TransportEvent

__all__ = ["EventOrder", "lost_stream_error"]


class EventOrder:
    """Admits a job's events in order across reconnects: no queue position once it runs, one start."""

    def __init__(self) -> None:
        self._started = False

    def admit(self, event: TransportEvent) -> bool:
        """True if ``event`` should reach the caller."""
        if isinstance(event, Estimation):
            return not self._started
        if isinstance(event, Started):
            if self._started:
                return False
            self._started = True
        return True


def lost_stream_error(
    lost: HFSpaceError, *, space_id: str, event_id: Optional[str], how: str
) -> HFSpaceError:
    """The error for a job whose stream dropped and could not be recovered.

    Its class is the one the drop itself would have raised (a reset is a
    :class:`SpaceConnectionError`, a read timeout a :class:`SpaceTimeoutError`, a cut body a
    :class:`ProtocolError`), so ``except`` clauses written for a dropped stream still match.

    Args:
        lost: the error that dropped the stream first.
        space_id: the Space that accepted the job.
        event_id: the job's event id.
        how: how reconnecting failed, as a clause ("reconnecting found the session gone").
    """
    kind: type[HFSpaceError] = ProtocolError
    if isinstance(lost, SpaceTimeoutError):
        kind = SpaceTimeoutError
    elif isinstance(lost, SpaceConnectionError):
        kind = SpaceConnectionError
    job = f"event {event_id}" if event_id else "no event id"
    return kind(
        f"{space_id} accepted the job ({job}), then its event stream was lost ({lost}); "
        f"{how}; nothing was resubmitted",
        space=space_id,
    )
