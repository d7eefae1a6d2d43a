"""Reconnecting a queue job's dropped ``queue/data`` stream, without ever joining again.

When the stream of a job the Space accepted drops (a reset, a body cut short, a read timeout,
or a body that ends before the job's result), the same ``queue/data?session_hash=...`` is
opened again, at most :data:`MAX_RECONNECTS` times and never past the job's deadline. A Gradio
server drops a session whose stream disconnects (measured on 4.44.1, 5.50.0 and 6.31.0; see
docs/reliability.md), so straight to a Space the reconnect gets ``unexpected_error``; it recovers
the job only where something in between (a proxy, a load balancer) cut the client's side while
its own stream to the Space stayed open. Either way nothing is submitted again: the user's GPU
quota is never spent twice.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator
from typing import Callable, Optional

from ..cancel import CancelScope
from ..errors import HFSpaceError
from ..http import is_lost_connection
from .lost_stream import EventOrder, lost_stream_error
from .messages import TERMINAL_EVENTS, StreamClosed, TransportEvent, Unexpected
from .stream import no_result_error

__all__ = ["BACKOFF_SECONDS", "MAX_RECONNECTS", "reconnecting"]

logger = logging.getLogger(__name__)

#: Reconnects after the first stream of a job drops.
MAX_RECONNECTS = 3
#: The wait before each reconnect (on the job's scope: a cancel ends it at once).
BACKOFF_SECONDS = (0.25, 0.5, 1.0)
#: A reconnect is not tried when less than this is left after its wait: it could not finish.
_MIN_STREAM_SECONDS = 0.1

OpenStream = Callable[[], Generator[TransportEvent, None, None]]
_Ending = Optional[TransportEvent]  # a terminal event or StreamClosed; None: the body ended


def _one_stream(
    open_stream: OpenStream, order: EventOrder
) -> Generator[TransportEvent, None, _Ending]:
    """Yield one stream's admitted events until its end; return what ended it."""
    stream = open_stream()
    try:
        for event in stream:
            if isinstance(event, (StreamClosed, *TERMINAL_EVENTS)):
                return event
            if order.admit(event):
                yield event
        return None
    finally:
        stream.close()  # never left for the garbage collector: it holds a connection


def reconnecting(
    open_stream: OpenStream, *, space_id: str, event_id: Optional[str], scope: CancelScope
) -> Iterator[TransportEvent]:
    """The job's events from ``open_stream()``, opened again when it drops.

    Yields the events up to and including the terminal one, as a single stream would.

    Raises:
        SpaceConnectionError, SpaceTimeoutError, ProtocolError: the stream dropped and could not
            be reconnected (the message says the job was accepted and nothing resubmitted); the
            class is the drop's own.
        ProtocolError: the first stream ended without a result, or the Space did not know it.
        JobCancelledError, SpaceTimeoutError: the job was cancelled or ran out of time.
    """
    order = EventOrder()
    lost: Optional[HFSpaceError] = None  # what dropped the first stream
    for attempt in range(MAX_RECONNECTS + 1):
        if attempt:
            _wait_before(attempt, lost, space_id=space_id, event_id=event_id, scope=scope)
        try:
            ending = yield from _one_stream(open_stream, order)
        except HFSpaceError as error:
            if scope.cancelled or not is_lost_connection(error):
                if lost is None or scope.cancelled:
                    raise
                raise lost_stream_error(
                    lost, space_id=space_id, event_id=event_id, how=f"reconnecting failed ({error})"
                ) from error
            failure: HFSpaceError = error
        else:
            if ending is not None and not isinstance(ending, (StreamClosed, Unexpected)):
                yield ending  # the result or the Space's error: the job is over
                return
            if scope.cancelled:
                raise scope.stop_error()
            if lost is not None and ending is not None:
                raise lost_stream_error(
                    lost, space_id=space_id, event_id=event_id, how=_gone(ending)
                )
            if isinstance(ending, Unexpected):
                yield ending  # the first stream: the Space did not know the job
                return
            if isinstance(ending, StreamClosed):
                raise no_result_error(space_id)  # the Space itself closed it: no reconnect
            failure = no_result_error(space_id)  # the body ended early: a drop
        if lost is None:
            lost = failure
        logger.info("%s: the event stream of %s dropped: %s", space_id, event_id, failure)
    assert lost is not None
    last = "the same way" if str(failure) == str(lost) else f"the last with: {failure}"
    raise lost_stream_error(
        lost, space_id=space_id, event_id=event_id, how=f"{MAX_RECONNECTS} reconnects failed {last}"
    )


def _gone(ending: TransportEvent) -> str:
    if isinstance(ending, Unexpected):
        return f"reconnecting found the session gone ({ending.message})"
    return "the reconnected stream closed without the job's result"


def _wait_before(
    attempt: int,
    lost: Optional[HFSpaceError],
    *,
    space_id: str,
    event_id: Optional[str],
    scope: CancelScope,
) -> None:
    """Wait before reconnect ``attempt`` (1-based); give up when the deadline is too close."""
    assert lost is not None
    wait = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS)) - 1]
    if scope.remaining() < wait + _MIN_STREAM_SECONDS:
        how = f"no time was left before the job's {scope.total_seconds:g} s deadline to reconnect"
        if attempt > 1:
            failed = attempt - 1
            how = f"{failed} reconnect{'s' if failed > 1 else ''} failed and {how} again"
        raise lost_stream_error(lost, space_id=space_id, event_id=event_id, how=how)
    logger.info(
        "Reconnecting to %s (attempt %d of %d) for %s", space_id, attempt, MAX_RECONNECTS, event_id
    )
    if scope.wait(wait):
        raise scope.stop_error()
