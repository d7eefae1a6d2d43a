"""Gradio's queue protocol (``sse_v3``): ``queue/join``, then the session's ``queue/data`` stream."""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator, Mapping, Sequence
from typing import Any, Optional

from ..cancel import CancelScope
from ..http import read_json
from .messages import QueueDecoder, TransportEvent
from .protocol import Accepted, accepted_event_id, cancel_quietly
from .reconnect import reconnecting
from .space import GradioApp
from .sse import SSEEvent, decode_json
from .stream import stream_events

__all__ = ["QUEUE", "QueueApi", "QueuedCall"]

logger = logging.getLogger(__name__)


class QueuedCall:
    """What to run by ``fn_index``: the component that fired it, the inputs, the session.

    ``headers`` go with the submission (credentials, referer), ``stream_headers`` with the
    event stream; ``theme`` is the ``__theme`` the join URL carries, as the Space's web page (and
    g4f) send it. The queue protocol and ``run/predict`` both take it.
    """

    __slots__ = (
        "data", "fn_index", "headers", "session_hash", "stream_headers", "theme", "trigger_id",
    )  # fmt: skip

    def __init__(
        self,
        *,
        fn_index: int,
        trigger_id: Optional[int],
        data: Sequence[Any],
        session_hash: str,
        headers: Optional[Mapping[str, str]] = None,
        stream_headers: Optional[Mapping[str, str]] = None,
        theme: str = "light",
    ) -> None:
        self.fn_index = fn_index
        self.trigger_id = trigger_id
        self.data = list(data)
        self.session_hash = session_hash
        self.headers = dict(headers or {})
        self.stream_headers = dict(stream_headers or {})
        self.theme = theme

    def payload(self) -> dict[str, Any]:
        """The join body, in the key order the Gradio web frontend sends."""
        return {
            "data": self.data,
            "event_data": None,
            "fn_index": self.fn_index,
            "trigger_id": self.trigger_id,
            "session_hash": self.session_hash,
        }


class QueueApi:
    """``POST {prefix}/queue/join`` for an event id; the job's messages from ``queue/data``."""

    def submit(self, space: GradioApp, call: QueuedCall, scope: CancelScope) -> Accepted:
        """Enqueue the call.

        Raises:
            QueueFullError: the Space's queue is full.
            ProtocolError: the answer has no event id.
        """
        response = space.http.request(
            "POST",
            space.api_url("/queue/join", scope),
            space=space.space_id,
            scope=scope,
            params={"__theme": call.theme},
            json=call.payload(),
            headers=call.headers,
        )
        body = read_json(response, space=space.space_id, what="queue/join")
        event_id = accepted_event_id(body, space, "queue/join")
        logger.info("%s accepted fn %d as %s", space.space_id, call.fn_index, event_id)
        return Accepted(event_id)

    def events(
        self, space: GradioApp, call: QueuedCall, accepted: Accepted, scope: CancelScope
    ) -> Iterator[TransportEvent]:
        """The events of one queued job, read from its session's ``queue/data`` stream.

        A stream that drops is opened again with the same session hash (see :mod:`.reconnect`);
        the job is never joined again. One decoder serves every reconnect, so generator diffs
        go on applying to the last full output.
        """
        decoder = QueueDecoder(accepted.event_id or "")
        url = space.api_url("/queue/data", scope)

        def decode(sse: SSEEvent) -> Any:
            return decoder.decode(decode_json(sse.data, what="queue message"))

        def open_stream() -> Generator[TransportEvent, None, None]:
            return stream_events(
                space,
                url,
                scope,
                decode,
                params={"session_hash": call.session_hash},
                headers=call.stream_headers,
            )

        return reconnecting(
            open_stream, space_id=space.space_id, event_id=accepted.event_id, scope=scope
        )

    def cancel(self, space: GradioApp, call: QueuedCall, accepted: Accepted) -> None:
        """``/cancel`` the job in its session."""
        if accepted.event_id is not None:
            cancel_quietly(
                space,
                session_hash=call.session_hash,
                fn_index=call.fn_index,
                event_id=accepted.event_id,
            )


#: The queue protocol (stateless).
QUEUE = QueueApi()
