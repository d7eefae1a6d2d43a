"""Reading one job's SSE event stream, shared by the ``/call`` and queue protocols.

A stream must end with a result or an error: one that stops before is a :class:`ProtocolError`,
never silence (the queue protocol reconnects first, see :mod:`.reconnect`).
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator
from typing import Callable, Optional

from ..cancel import CancelScope
from ..errors import ProtocolError
from .messages import TERMINAL_EVENTS, StreamClosed, TransportEvent
from .space import GradioApp
from .sse import SSEEvent, iter_sse

__all__ = ["no_result_error", "read_event_stream", "stream_events"]

logger = logging.getLogger(__name__)


def no_result_error(space_id: str) -> ProtocolError:
    """The error for a stream that ended without the job's result."""
    return ProtocolError(f"{space_id} ended the event stream without a result", space=space_id)


def stream_events(
    space: GradioApp,
    url: str,
    scope: CancelScope,
    decode: Callable[[SSEEvent], Optional[TransportEvent]],
    *,
    params: Optional[dict[str, str]] = None,
    headers: Optional[dict[str, str]] = None,
) -> Generator[TransportEvent, None, None]:
    """Open an SSE stream and yield its decoded events, up to and including the first terminal
    event or :class:`StreamClosed`; end quietly when the body ends before either.

    Raises:
        SpaceTimeoutError, SpaceConnectionError, ProtocolError (a cut body), JobCancelledError:
            from the connection; ProtocolError: a malformed event.
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
            yield event
            if isinstance(event, (StreamClosed, *TERMINAL_EVENTS)):
                return


def read_event_stream(
    space: GradioApp,
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
    for event in stream_events(space, url, scope, decode, params=params, headers=headers):
        if isinstance(event, StreamClosed):
            break
        yield event
        if isinstance(event, TERMINAL_EVENTS):
            return
    if scope.cancelled:
        raise scope.stop_error()
    raise no_result_error(space.space_id)
