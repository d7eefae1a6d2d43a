"""Gradio's ``/call/<api_name>`` protocol: POST the inputs, then stream the event once.

A ``/call`` event can be streamed only once (a second GET of it only sends heartbeats), so a
stream that ends early is reported, never re-requested.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Optional

from ..cancel import CancelScope
from ..http import read_json
from .messages import TransportEvent, parse_call_event
from .protocol import Accepted, accepted_event_id, cancel_quietly
from .space import GradioApp
from .sse import SSEEvent, decode_json
from .stream import read_event_stream

__all__ = ["CALL_API", "ApiCall", "CallApi"]

logger = logging.getLogger(__name__)

_HIDDEN_ON_OLD_GRADIO = "Gradio before 6.0 does not send error text over the /call API"


class ApiCall:
    """What to call: the API name (``infer`` for ``/call/infer``), the inputs, and the headers
    sent with both requests of the call (a Space's own credentials), never with others."""

    __slots__ = ("api_name", "data", "headers")

    def __init__(
        self, api_name: str, data: Sequence[Any], *, headers: Optional[Mapping[str, str]] = None
    ) -> None:
        self.api_name = api_name
        self.data = list(data)
        self.headers = dict(headers or {})

    def __repr__(self) -> str:  # the headers may hold a token
        return f"ApiCall({self.api_name!r}, {len(self.data)} inputs)"


def _decode(sse: SSEEvent) -> Optional[TransportEvent]:
    return parse_call_event(sse.event, decode_json(sse.data, what=f"/call {sse.event} event"))


class CallApi:
    """``POST {prefix}/call/<api>`` for an event id, ``GET {prefix}/call/<api>/<id>`` for its events."""

    def submit(self, space: GradioApp, call: ApiCall, scope: CancelScope) -> Accepted:
        """POST the inputs; the event id, with Gradio <6's hidden-error hint."""
        what = f"/call/{call.api_name}"
        response = space.http.request(
            "POST",
            space.api_url(what, scope),
            space=space.space_id,
            scope=scope,
            json={"data": call.data},
            headers=call.headers,
        )
        event_id = accepted_event_id(
            read_json(response, space=space.space_id, what=what), space, what
        )
        logger.info("%s accepted /call/%s as %s", space.space_id, call.api_name, event_id)
        hint = _HIDDEN_ON_OLD_GRADIO if space.info(scope).major_version < 6 else ""
        return Accepted(event_id, hidden_error_hint=hint)

    def events(
        self, space: GradioApp, call: ApiCall, accepted: Accepted, scope: CancelScope
    ) -> Iterator[TransportEvent]:
        """The events of the accepted job, up to and including the terminal one."""
        url = space.api_url(f"/call/{call.api_name}/{accepted.event_id}", scope)
        return read_event_stream(space, url, scope, _decode, headers=call.headers)

    def cancel(self, space: GradioApp, call: ApiCall, accepted: Accepted) -> None:
        """``/cancel`` the job (its event id is also its session), if the API has an fn_index."""
        fn_index = space.info().fn_index_by_api_name.get(call.api_name)
        if fn_index is not None and accepted.event_id is not None:
            cancel_quietly(
                space, session_hash=accepted.event_id, fn_index=fn_index, event_id=accepted.event_id
            )


#: The ``/call/<api>`` protocol (stateless).
CALL_API = CallApi()
