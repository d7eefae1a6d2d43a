"""Reading one job's SSE event stream to its end, shared by the ``/call`` and queue protocols.

A stream must end with a result or an error: one that stops before is a :class:`ProtocolError`,
never silence.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Callable, Optional

from ..cancel import CancelScope
from ..errors import ProtocolError
from .messages import Completed, Failed, StreamClosed, TransportEvent, Unexpected
from .space import GradioApp
from .sse import SSEEvent, iter_sse

__all__ = ["read_event_stream"]

logger = logging.getLogger(__name__)


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
