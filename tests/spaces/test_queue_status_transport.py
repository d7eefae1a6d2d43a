"""``space.queue_status()`` against recorded configs of the demo Space (``responses``): the
route under the Space's API prefix, fresh answers, retries and errors."""

from __future__ import annotations

import pytest
import responses
from space_support import DEMO_ID, STUB_BASE, recorded

from hfspace_sdk import Client, ProtocolError, QueueStatus, ResponseStatusError

BASE = STUB_BASE
SPACE = DEMO_ID
IDLE = {"msg": "estimation", "event_id": None, "rank": None, "queue_size": 0, "rank_eta": None}


@pytest.mark.parametrize(("version", "prefix"), [("6", "/gradio_api"), ("4", "")])
def test_the_status_is_read_under_the_api_prefix_each_time(
    mocked: responses.RequestsMock, client: Client, version: str, prefix: str
) -> None:
    mocked.get(f"{BASE}/config", json=recorded(f"demo_config_{version}"))
    status_url = f"{BASE}{prefix}/queue/status"
    mocked.get(status_url, json=IDLE)
    mocked.get(status_url, json={**IDLE, "queue_size": 2, "rank_eta": 7.25})
    space = client.space(SPACE)
    assert space.queue_status() == QueueStatus(queue_size=0, eta=None)
    assert space.queue_status() == QueueStatus(queue_size=2, eta=7.25)
    paths = [call.request.path_url for call in mocked.calls]
    assert paths == ["/config", f"{prefix}/queue/status", f"{prefix}/queue/status"]


def test_transient_failures_are_retried(mocked: responses.RequestsMock, client: Client) -> None:
    mocked.get(f"{BASE}/config", json=recorded("demo_config_6"))
    mocked.get(f"{BASE}/gradio_api/queue/status", status=503, body="busy")
    mocked.get(f"{BASE}/gradio_api/queue/status", json={**IDLE, "queue_size": 1})
    assert client.space(SPACE).queue_status().queue_size == 1


def test_errors_name_the_space(mocked: responses.RequestsMock, client: Client) -> None:
    mocked.get(f"{BASE}/config", json=recorded("demo_config_6"))
    mocked.get(f"{BASE}/gradio_api/queue/status", json={"detail": "?"})
    with pytest.raises(ProtocolError, match="queue_size") as caught:
        client.space(SPACE).queue_status()
    assert caught.value.space == SPACE
    mocked.replace(responses.GET, f"{BASE}/gradio_api/queue/status", body="<html>")
    with pytest.raises(ProtocolError, match="not JSON"):
        client.space(SPACE).queue_status()
    mocked.replace(responses.GET, f"{BASE}/gradio_api/queue/status", status=404, json={})
    with pytest.raises(ResponseStatusError) as status:
        client.space(SPACE).queue_status()
    assert status.value.status_code == 404
