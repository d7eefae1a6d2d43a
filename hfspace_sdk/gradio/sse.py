"""Server-sent events: bytes in, ``(event, data)`` out. The only user of sseclient-py."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sseclient import SSEClient

from ..errors import ProtocolError

__all__ = ["SSEEvent", "decode_json", "iter_sse"]


@dataclass(frozen=True)
class SSEEvent:
    """One dispatched event: its name (``"message"`` when the server gave none) and data."""

    event: str
    data: str


def iter_sse(chunks: Iterable[bytes]) -> Iterator[SSEEvent]:
    """Decode an SSE byte stream, however the server cut it into chunks.

    Raises:
        ProtocolError: the stream is not UTF-8.
    """
    try:
        for event in SSEClient(iter(chunks)).events():
            yield SSEEvent(event=event.event, data=event.data)
    except UnicodeDecodeError as exc:
        raise ProtocolError("The event stream is not valid UTF-8") from exc


def decode_json(data: str, *, what: str = "event data") -> Any:
    """Parse one event's JSON data.

    Raises:
        ProtocolError: the data is not JSON.
    """
    try:
        return json.loads(data)
    except ValueError as exc:
        raise ProtocolError(f"Malformed {what}: {data[:200]!r}") from exc
