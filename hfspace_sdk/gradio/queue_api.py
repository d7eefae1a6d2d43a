"""Gradio's queue protocol (``sse_v3``): ``queue/join``, then the session's ``queue/data`` stream."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Optional

from ..cancel import CancelScope
from ..errors import ProtocolError
from ..http import read_json
from .messages import TERMINAL_EVENTS, QueueDecoder, TransportEvent
from .space import Space
from .sse import SSEEvent, decode_json
from .stream import cancel_quietly, read_event_stream, result_or_raise

__all__ = ["QueuedCall", "join_queue", "run_queued", "stream_queue"]

logger = logging.getLogger(__name__)


class QueuedCall:
    """What to enqueue: the function (``fn_index``), the component that fired it, the inputs."""

    __slots__ = ("data", "fn_index", "session_hash", "trigger_id")

    def __init__(
        self, *, fn_index: int, trigger_id: Optional[int], data: Sequence[Any], session_hash: str
    ) -> None:
        self.fn_index = fn_index
        self.trigger_id = trigger_id
        self.data = list(data)
        self.session_hash = session_hash

    def payload(self) -> dict[str, Any]:
        """The join body, in the key order the Gradio web frontend sends."""
        return {
            "data": self.data,
            "event_data": None,
            "fn_index": self.fn_index,
            "trigger_id": self.trigger_id,
            "session_hash": self.session_hash,
        }


def join_queue(
    space: Space, call: QueuedCall, *, headers: Mapping[str, str], scope: CancelScope
) -> str:
    """Enqueue the call; the event id of the accepted job.

    Raises:
        QueueFullError: the Space's queue is full.
        ProtocolError: the answer has no event id.
    """
    url = space.api_url("/queue/join", scope)
    response = space.http.request(
        "POST",
        url,
        space=space.space_id,
        scope=scope,
        params={"__theme": "light"},
        json=call.payload(),
        headers=dict(headers),
    )
    body = read_json(response, space=space.space_id, what="queue/join")
    event_id = body.get("event_id") if isinstance(body, dict) else None
    if not isinstance(event_id, str) or not event_id:
        raise ProtocolError(
            f"{space.space_id} accepted queue/join without an event id", space=space.space_id
        )
    return event_id


def stream_queue(
    space: Space,
    session_hash: str,
    event_id: str,
    *,
    headers: Mapping[str, str],
    scope: CancelScope,
) -> Iterator[TransportEvent]:
    """The events of one queued job, read from its session's ``queue/data`` stream."""
    decoder = QueueDecoder(event_id)

    def decode(sse: SSEEvent) -> Any:
        return decoder.decode(decode_json(sse.data, what="queue message"))

    url = space.api_url("/queue/data", scope)
    return read_event_stream(
        space, url, scope, decode, params={"session_hash": session_hash}, headers=dict(headers)
    )


def run_queued(
    space: Space,
    call: QueuedCall,
    *,
    join_headers: Mapping[str, str],
    stream_headers: Mapping[str, str],
    scope: CancelScope,
) -> Iterator[TransportEvent]:
    """Join and stream a queued job; raise the Space's error; cancel it on the Space if stopped."""
    event_id = join_queue(space, call, headers=join_headers, scope=scope)
    logger.info("%s accepted fn %d as %s", space.space_id, call.fn_index, event_id)
    finished = False
    try:
        for event in stream_queue(
            space, call.session_hash, event_id, headers=stream_headers, scope=scope
        ):
            finished = isinstance(event, TERMINAL_EVENTS)  # the Space ended the job: no cancel
            result_or_raise(event, space)
            yield event
    finally:
        if not finished:
            scope.defer(
                lambda: cancel_quietly(
                    space, session_hash=call.session_hash, fn_index=call.fn_index, event_id=event_id
                )
            )
