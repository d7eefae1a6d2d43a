"""What a Gradio server does when a session's queue stream drops and the client reconnects.

docs/reliability.md ("A dropped queue stream") states it; this test keeps it true on every Gradio
the look-alikes run on: the server forgets the session, and a reconnect gets ``unexpected_error``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from lookalike_wire import TIMEOUT, load_space

from hfspace_sdk.testing import serve_space


def _messages(stream: requests.Response) -> Iterator[dict[str, Any]]:
    for raw in stream.iter_lines():
        if raw.startswith(b"data: "):
            yield json.loads(raw[6:])


@pytest.mark.gradio
def test_a_reconnected_stream_finds_no_session(lookalike_python: str) -> None:
    # The job computes for long enough to be running when the stream drops.
    with serve_space("flux-dev", python=lookalike_python, compute_seconds=30.0) as url:
        space = load_space("flux-dev", url)
        session = uuid.uuid4().hex
        body = {
            "data": ["dropped", 1, False, 256, 256, 3.5, 4],
            "event_data": None,
            "fn_index": 2,
            "trigger_id": 4,
            "session_hash": session,
        }
        joined = requests.post(f"{space.api}/queue/join", json=body, timeout=TIMEOUT)
        assert joined.status_code == 200, joined.text
        data_url = f"{space.api}/queue/data"
        params = {"session_hash": session}
        with requests.get(data_url, params=params, stream=True, timeout=TIMEOUT) as first:
            for message in _messages(first):
                if message["msg"] == "process_starts":
                    break  # running: the client's side of the stream now drops
        with requests.get(data_url, params=params, stream=True, timeout=TIMEOUT) as second:
            assert second.status_code == 200
            reply = next(_messages(second))
    assert reply["msg"] == "unexpected_error", reply
    assert reply["success"] is False
    assert "404" in reply["message"]
