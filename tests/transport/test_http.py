"""The HTTP layer: one request per session at a time, bounded sessions, clean close."""

from __future__ import annotations

import threading

import pytest
from gradio_answers import BASE

from hfspace_sdk.config import Settings
from hfspace_sdk.errors import HFSpaceError
from hfspace_sdk.http import HttpClient


def test_concurrent_requests_never_share_a_session_and_reuse_idle_ones(mocked):
    mocked.get(f"{BASE}/ping", json={"ok": True})
    client = HttpClient(Settings.from_options(environ={}))
    in_use: set[int] = set()
    overlaps: list[int] = []
    lock = threading.Lock()
    original_lease, original_give_back = client._lease, client._give_back

    def lease():
        session = original_lease()
        with lock:
            if id(session) in in_use:
                overlaps.append(id(session))
            in_use.add(id(session))
        return session

    def give_back(session):
        with lock:
            in_use.discard(id(session))
        original_give_back(session)

    client._lease, client._give_back = lease, give_back
    threads = [
        threading.Thread(target=lambda: [client.request("GET", f"{BASE}/ping", space=None) for _ in range(10)])
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert len(mocked.calls) == 80
    assert overlaps == []
    assert 1 <= len(client._sessions) <= 8
    client.close()


def test_a_closed_client_refuses_work(mocked):
    mocked.get(f"{BASE}/ping", json={})
    client = HttpClient(Settings.from_options(environ={}))
    client.request("GET", f"{BASE}/ping", space=None)
    client.close()
    client.close()
    with pytest.raises(HFSpaceError, match="closed"):
        client.request("GET", f"{BASE}/ping", space=None)
