"""Recorded-style Gradio answers for transport tests (shapes from GRADIO_PROTOCOL.md)."""

from __future__ import annotations

import json
from typing import Any

BASE = "http://space.test"
SPACE_ID = "owner/space"

#: The functions of a stub server that stands in for every provider's Space at once: each under
#: its api name, at the fn_index g4f hard-codes (the real Spaces' numbers overlap, so ids repeat).
#: Without targets and inputs, the providers send g4f's trigger ids and check no input count.
STUB_DEPENDENCIES = [
    {"id": 0, "api_name": None},
    {"id": 1, "api_name": "load_example"},
    {"id": 2, "api_name": "infer"},
    {"id": 2, "api_name": "multimodal_understanding"},
    {"id": 3, "api_name": "generate_image"},
    {"id": 3, "api_name": "RealtimeFlux"},
]

CONFIG_6 = {
    "version": "6.31.0",
    "api_prefix": "/gradio_api",
    "protocol": "sse_v3",
    "dependencies": STUB_DEPENDENCIES,
}
CONFIG_4 = {
    "version": "4.44.1",
    "protocol": "sse_v3",
    "dependencies": STUB_DEPENDENCIES,
}


def call_stream(*events: tuple[str, Any]) -> str:
    """A /call SSE body: `event:` + `data:` blocks, as Gradio writes them."""
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)


def queue_stream(*messages: dict[str, Any]) -> str:
    """A queue/data SSE body: one compact `data:` line per message."""
    return "".join(
        f"data: {json.dumps(message, separators=(',', ':'))}\n\n" for message in messages
    )


def file_data(url: str) -> dict[str, Any]:
    return {"path": "/tmp/gradio/x/image.webp", "url": url, "meta": {"_type": "gradio.FileData"}}
