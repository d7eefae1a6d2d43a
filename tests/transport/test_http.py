"""The HTTP layer: one request per session at a time, bounded sessions, clean close."""

from __future__ import annotations

import contextlib
import http.server
import threading

import pytest
import requests
from gradio_answers import BASE

from hfspace_sdk.config import Settings
from hfspace_sdk.errors import HFSpaceError, SpaceConnectionError
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
        threading.Thread(
            target=lambda: [client.request("GET", f"{BASE}/ping", space=None) for _ in range(10)]
        )
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


class SilentServer:
    """Accepts connections and reads requests, but never answers (a hung Space)."""

    def __init__(self) -> None:
        import socket

        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.accepted = threading.Event()
        self._clients: list = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._clients.append(client)
            self.accepted.set()

    def close(self) -> None:
        import socket

        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self._listener.close()
        for client in self._clients:
            client.close()
        self._thread.join(5)


def test_cancel_interrupts_a_request_waiting_for_its_answer():
    import time

    from hfspace_sdk.cancel import CancelScope
    from hfspace_sdk.errors import JobCancelledError

    server = SilentServer()
    client = HttpClient(Settings.from_options(environ={}, timeout=60))
    scope = CancelScope(60)
    outcome: list[BaseException] = []

    def post() -> None:
        try:
            client.request("POST", f"{server.url}/queue/join", space="o/s", scope=scope, json={})
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=post)
    worker.start()
    assert server.accepted.wait(10)
    started = time.monotonic()
    scope.cancel()
    worker.join(10)
    assert not worker.is_alive()
    assert time.monotonic() - started < 2, "cancel does not wait for the 60 s read timeout"
    assert len(outcome) == 1 and isinstance(outcome[0], JobCancelledError)
    assert client._idle.qsize() == len(client._sessions), "the session went back to the pool"
    client.close()
    server.close()


def test_an_error_status_gives_the_session_back(mocked):
    mocked.get(f"{BASE}/missing", status=404, json={"detail": "Not Found"})
    client = HttpClient(Settings.from_options(environ={}))
    for _ in range(3):
        with pytest.raises(HFSpaceError):
            client.request("GET", f"{BASE}/missing", space=None)
    assert len(client._sessions) == 1
    client.close()


class _RecordingProxy(http.server.BaseHTTPRequestHandler):
    """A plain-http proxy that answers every request itself and records the URL it was asked."""

    seen: list[str] = []

    def do_GET(self) -> None:
        type(self).seen.append(self.path)
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_environment_proxies_are_honoured_and_read_once_per_origin(monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RecordingProxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    reads: list[str] = []
    original = requests.sessions.get_environ_proxies

    def counting(url, no_proxy=None):  # type: ignore[no-untyped-def]
        reads.append(url)
        return original(url, no_proxy=no_proxy)

    monkeypatch.setattr(requests.sessions, "get_environ_proxies", counting)
    for name in ("http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("NO_PROXY", "direct.invalid")
    _RecordingProxy.seen = []
    client = HttpClient(Settings.from_options(environ={}, timeout=5))
    try:
        for _ in range(3):
            response = client.request("GET", "http://space.invalid/ping", space=None)
            assert response.json() == {"ok": True}
        assert _RecordingProxy.seen == ["http://space.invalid/ping"] * 3
        assert reads == ["http://space.invalid/ping"]  # the environment was read once
        with pytest.raises(SpaceConnectionError):  # NO_PROXY: sent directly, and .invalid fails
            client.request("GET", "http://direct.invalid/ping", space=None)
        assert len(_RecordingProxy.seen) == 3
    finally:
        client.close()
        server.shutdown()
        server.server_close()
        thread.join()
