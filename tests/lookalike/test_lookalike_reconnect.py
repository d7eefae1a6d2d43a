"""What a Gradio server does when a session's queue stream drops and the client reconnects.

docs/reliability.md ("A dropped queue stream") states it; this test keeps it true on every Gradio
the look-alikes run on: the server forgets the session, and a reconnect gets ``unexpected_error``.
Then the SDK itself, on Gradio 6, 5.50 and 4.44, through :class:`stream_relay.StreamRelay`: a
stream lost as on a directly served Space ends in the truthful error after one reconnect, and a
stream cut by a relay that kept its own stream to the Space is recovered; one join either way.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from gradio_builds import python_for
from lookalike_wire import TIMEOUT, load_space
from stream_relay import StreamRelay

from hfspace_sdk import Client, ProtocolError, Timeout
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
                if message["msg"] == "progress":
                    break  # running (see stream_relay on why not at process_starts): drop
        with requests.get(data_url, params=params, stream=True, timeout=TIMEOUT) as second:
            assert second.status_code == 200
            reply = next(_messages(second))
    assert reply["msg"] == "unexpected_error", reply
    assert reply["success"] is False
    assert "404" in reply["message"]


# --- the SDK, when its stream is cut mid-job -------------------------------------------------

_SPACE = "black-forest-labs/FLUX.1-dev"
_PROMPT = "a red fox in the snow"


@pytest.fixture(scope="module")
def working_flux_dev(gradio_build: str) -> Iterator[str]:
    """A FLUX.1-dev look-alike whose jobs run for 3 s: still running when the stream is cut."""
    with serve_space("flux-dev", compute_seconds=3.0, python=python_for(gradio_build)) as url:
        yield url


def _generate(relay: StreamRelay) -> Any:
    options: dict[str, Any] = {
        "space_urls": {_SPACE: relay.url},
        "hub_url": "http://127.0.0.1:9",  # nothing may reach a hub
        "timeout": Timeout(connect=5, read=30, total=60),
    }
    with Client(**options) as client:
        # One step: its progress event comes at once, then the job computes for 3 s without
        # a message, which is when the relay cuts the stream (see stream_relay).
        return client.images.generate(
            _PROMPT, provider="BlackForestLabs_Flux1Dev", model="flux-dev", num_inference_steps=1
        )


@pytest.mark.gradio
def test_the_sdk_reports_a_stream_lost_on_a_directly_served_space(working_flux_dev: str) -> None:
    # The relay closes its own stream to the Space when it cuts the SDK's: the Space sees the
    # disconnect, as when it serves the client directly.
    with (
        StreamRelay(working_flux_dev, keep_upstream=False) as relay,
        pytest.raises(ProtocolError) as raised,
    ):
        _generate(relay)
    message = str(raised.value)
    assert message.startswith(f"{_SPACE} accepted the job (event "), message
    assert "its event stream was lost (" in message
    assert "reconnecting found the session gone (404: " in message
    assert message.endswith("; nothing was resubmitted")
    assert raised.value.space == _SPACE
    assert relay.count("/queue/join") == 1
    assert relay.count("/queue/data") == 2  # the stream, and one reconnect


@pytest.mark.gradio
def test_the_sdk_recovers_a_stream_a_relay_cut(working_flux_dev: str) -> None:
    # The relay keeps its own stream to the Space and buffers it: the reconnect recovers.
    with StreamRelay(working_flux_dev, keep_upstream=True) as relay:
        result = _generate(relay)
        assert relay.count("/queue/join") == 1
        assert relay.count("/queue/data") == 2
    assert result.data[0].url
