"""Gradio's ``/call/<api_name>`` protocol: POST the inputs, then stream the event once.

A ``/call`` event can be streamed only once (a second GET of it only sends heartbeats), so a
stream that ends early is reported, never re-requested.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any, Optional

from ..cancel import CancelScope
from ..errors import ProtocolError
from ..http import read_json
from .messages import TERMINAL_EVENTS, TransportEvent, parse_call_event
from .space import Space
from .sse import SSEEvent, decode_json
from .stream import cancel_quietly, read_event_stream, result_or_raise

__all__ = ["run_call", "stream_call", "submit_call"]

logger = logging.getLogger(__name__)

_HIDDEN_ON_OLD_GRADIO = "Gradio before 6.0 does not send error text over the /call API"


def submit_call(space: Space, api_name: str, data: Sequence[Any], *, scope: CancelScope) -> str:
    """POST the inputs to ``/call/<api_name>``; the event id of the accepted job.

    Raises:
        ProtocolError: the answer has no event id.
    """
    url = space.api_url(f"/call/{api_name}", scope)
    response = space.http.request(
        "POST", url, space=space.space_id, scope=scope, json={"data": list(data)}
    )
    body = read_json(response, space=space.space_id, what=f"/call/{api_name}")
    event_id = body.get("event_id") if isinstance(body, dict) else None
    if not isinstance(event_id, str) or not event_id:
        raise ProtocolError(
            f"{space.space_id} accepted /call/{api_name} without an event id", space=space.space_id
        )
    return event_id


def _decode(sse: SSEEvent) -> Optional[TransportEvent]:
    return parse_call_event(sse.event, decode_json(sse.data, what=f"/call {sse.event} event"))


def stream_call(
    space: Space, api_name: str, event_id: str, *, scope: CancelScope
) -> Iterator[TransportEvent]:
    """The events of an accepted ``/call`` job, up to and including the terminal one."""
    url = space.api_url(f"/call/{api_name}/{event_id}", scope)
    return read_event_stream(space, url, scope, _decode)


def run_call(
    space: Space, api_name: str, data: Sequence[Any], *, scope: CancelScope
) -> Iterator[TransportEvent]:
    """Submit and stream a ``/call`` job; raise the Space's error, cancel it on the Space if stopped.

    Yields the non-terminal events, then a final ``Completed`` with the outputs.
    """
    event_id = submit_call(space, api_name, data, scope=scope)
    logger.info("%s accepted /call/%s as %s", space.space_id, api_name, event_id)
    hint = _HIDDEN_ON_OLD_GRADIO if space.info(scope).major_version < 6 else ""
    finished = False
    try:
        for event in stream_call(space, api_name, event_id, scope=scope):
            finished = isinstance(event, TERMINAL_EVENTS)  # the Space ended the job: no cancel
            result_or_raise(event, space, hidden_hint=hint)
            yield event
    finally:
        if not finished:
            fn_index = space.info(scope).fn_index_by_api_name.get(api_name)
            if fn_index is not None:
                scope.defer(
                    lambda: cancel_quietly(
                        space, session_hash=event_id, fn_index=fn_index, event_id=event_id
                    )
                )
