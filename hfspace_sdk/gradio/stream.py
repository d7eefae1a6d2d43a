"""Reading one job's event stream to its end, shared by the ``/call`` and queue protocols.

A stream must end with a result or an error: one that stops before is a :class:`ProtocolError`,
never silence.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Callable, Optional

from ..cancel import CancelScope
from ..errors import HFSpaceError, JobCancelledError, ProtocolError, SpaceError, space_error
from .messages import Completed, Failed, StreamClosed, TransportEvent, Unexpected
from .space import Space
from .sse import SSEEvent, iter_sse

__all__ = ["cancel_quietly", "read_event_stream", "result_or_raise"]

logger = logging.getLogger(__name__)

_CANCEL_READ_SECONDS = 0.5


def read_event_stream(
    space: Space,
    url: str,
    scope: CancelScope,
    decode: Callable[[SSEEvent], Optional[TransportEvent]],
    *,
    params: Optional[dict[str, str]] = None,
    headers: Optional[dict[str, str]] = None,
) -> Iterator[TransportEvent]:
    """Open an SSE stream and yield its decoded events up to and including the terminal one.

    Raises:
        ProtocolError: the stream ended (or was closed by the server) without a result.
        SpaceTimeoutError, SpaceConnectionError, JobCancelledError: from the connection.
    """
    http = space.http
    response = http.request(
        "GET",
        url,
        space=space.space_id,
        scope=scope,
        stream=True,
        params=params,
        headers={"accept": "text/event-stream", **(headers or {})},
    )
    with http.streaming(response, scope):
        body = http.iter_body(response, scope, chunk_size=None, space=space.space_id)
        for sse in iter_sse(body):
            event = decode(sse)
            if event is None:
                continue
            logger.debug("%s: %s", space.space_id, type(event).__name__)
            if isinstance(event, StreamClosed):
                break
            yield event
            if isinstance(event, (Completed, Failed, Unexpected)):
                return
    if scope.cancelled:
        raise scope.stop_error()
    raise ProtocolError(
        f"{space.space_id} ended the event stream without a result", space=space.space_id
    )


def result_or_raise(
    event: TransportEvent, space: Space, *, hidden_hint: str = ""
) -> Optional[list[object]]:
    """The output data of a terminal event; the error it stands for otherwise.

    Returns None for events that are not terminal.

    Raises:
        SpaceError, QuotaExceededError: the Space reported a failure.
        JobCancelledError: the Space cancelled the job.
        ProtocolError: the Space did not know the job.
    """
    if isinstance(event, Completed):
        if event.data is None:
            raise JobCancelledError("The Space cancelled the job", space=space.space_id)
        return event.data
    if isinstance(event, Failed):
        error: SpaceError = space_error(event.message, space=space.space_id, title=event.title)
        if event.message is None and hidden_hint:
            error.message = f"{error.message}; {hidden_hint}"
        raise error
    if isinstance(event, Unexpected):
        raise ProtocolError(
            f"{space.space_id} could not stream the job: {event.message}", space=space.space_id
        )
    return None


def cancel_quietly(space: Space, *, session_hash: str, fn_index: int, event_id: str) -> None:
    """Ask the Space to drop a job we stopped waiting for. Best effort: never raises.

    The Space frees the job's queue slot; a function already running finishes in its thread.
    """
    try:
        space.http.request(
            "POST",
            space.api_url("/cancel"),
            space=space.space_id,
            json={"session_hash": session_hash, "fn_index": fn_index, "event_id": event_id},
            # The Space acts on the request when it arrives; waiting long for its answer would
            # only hold the caller's error.
            read_timeout=_CANCEL_READ_SECONDS,
        )
        logger.info("Cancelled %s on %s", event_id, space.space_id)
    except HFSpaceError as exc:
        logger.debug("Could not cancel %s on %s: %s", event_id, space.space_id, exc)
