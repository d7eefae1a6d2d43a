"""Each private attribute the SDK uses, and the fallback that keeps it correct without it.

The fallbacks run for real: the foreign library's attribute is taken away (or an object without
it is passed), and the behaviour the attribute served still holds, only slower.
"""

from __future__ import annotations

import gc
import http.server
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import urllib3
import urllib3.poolmanager
import urllib3.response

from hfspace_sdk import _internals
from hfspace_sdk.cancel import CancelScope
from hfspace_sdk.config import Settings
from hfspace_sdk.errors import JobCancelledError
from hfspace_sdk.http import HttpClient

# --- a local server: keep-alive answers, or a stream that never sends an event ----------------


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the client's pool keeps the connection
    closed = threading.Event()  # set when a client closed its connection to us
    release = threading.Event()  # ends a stalled stream

    def do_GET(self) -> None:
        if self.path == "/stalled":
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            self.wfile.flush()
            type(self).release.wait(30)
            return
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def finish(self) -> None:
        super().finish()
        type(self).closed.set()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.closed = threading.Event()
    _Handler.release = threading.Event()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    _Handler.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


# --- socket_of: raw._fp.fp.raw._sock ----------------------------------------------------------


def test_the_socket_of_a_stream_is_found_through_its_connection(server):
    client = HttpClient(Settings.from_options(environ={}, timeout=30))
    response = client.request("GET", f"{server}/stalled", space=None, stream=True)
    with client.streaming(response, None):
        assert _internals.socket_of(response.raw) is response.raw.connection.sock
    client.close()


def test_a_detached_stream_is_found_through_its_socket_file(server, monkeypatch):
    client = HttpClient(Settings.from_options(environ={}, timeout=30))
    response = client.request("GET", f"{server}/stalled", space=None, stream=True)
    with client.streaming(response, None):
        sock = response.raw.connection.sock
        monkeypatch.setattr(urllib3.response.HTTPResponse, "connection", property(lambda _: None))
        assert _internals.socket_of(response.raw) is sock
    client.close()


def test_without_a_reachable_socket_a_cancelled_read_ends_at_its_read_timeout():
    """Fallback: nothing to shut down. cancel() returns at once (closing the response would
    wait for the blocked read), and the read ends at its timeout with the job's stop error."""
    ours, theirs = socket.socketpair()
    ours.settimeout(1.0)  # the read timeout
    raw = urllib3.response.HTTPResponse(
        body=ours.makefile("rb"),  # no connection, and a file without http.client's .fp
        headers={"content-type": "text/event-stream"},
        status=200,
        preload_content=False,
    )
    assert _internals.socket_of(raw) is None
    assert _internals.socket_of(object()) is None
    response = requests.Response()
    response.raw, response.status_code, response.url = raw, 200, "http://space.test/stream"
    client = HttpClient(Settings.from_options(environ={}, timeout=30))
    scope = CancelScope(30)
    outcome: list[BaseException] = []
    reading = threading.Event()

    def read() -> None:
        with client.streaming(response, scope):
            reading.set()
            try:
                list(client.iter_body(response, scope, chunk_size=None))
            except BaseException as exc:  # handed to the test thread
                outcome.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    assert reading.wait(5)
    time.sleep(0.1)  # the reader is in its read
    started = time.monotonic()
    scope.cancel()  # runs abort_response: no socket to shut down
    assert time.monotonic() - started < 0.5, "cancel() does not wait for the blocked read"
    reader.join(10)
    assert not reader.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], JobCancelledError)
    ours.close()
    theirs.close()
    client.close()


# --- close_pools_when_dropped: PoolManager.pools.dispose_func -------------------------------


class _PoolsWithoutDisposeHook(dict):  # type: ignore[type-arg]
    """A pool container without ``dispose_func``: dropping a pool only forgets it."""

    def __init__(self, maxsize: int = 10) -> None:
        super().__init__()
        self.lock = threading.RLock()


@pytest.mark.parametrize("hook", [True, False], ids=["dispose hook", "no dispose hook"])
def test_close_closes_the_pooled_connections_at_once(server, monkeypatch, hook):
    if not hook:
        monkeypatch.setattr(urllib3.poolmanager, "RecentlyUsedContainer", _PoolsWithoutDisposeHook)
    client = HttpClient(Settings.from_options(environ={}, timeout=30))
    # Kept, as an error keeps its response: the response holds its pool, so a pool that is
    # only forgotten stays alive, its idle connection open.
    response = client.request("GET", f"{server}/ok", space=None)
    assert response.json() == {"ok": True}
    [session] = client._sessions
    adapter = session.get_adapter(server)
    assert hasattr(adapter.poolmanager.pools, "dispose_func") is hook
    gc.disable()  # the socket must close on close(), not when the collector runs
    try:
        assert not _Handler.closed.is_set(), "the pool keeps the connection open"
        client.close()
        assert _Handler.closed.wait(5), "close() closed the pooled connection"
    finally:
        gc.enable()
    del response


def test_a_pool_manager_without_the_hook_is_reported():
    assert _internals.close_pools_when_dropped(object()) is False
    manager = urllib3.PoolManager()
    assert _internals.close_pools_when_dropped(manager) is True
    manager.clear()


# --- join_pool_threads: ThreadPoolExecutor._threads -------------------------------------------


class _PoolWithoutThreadSet:
    """A ThreadPoolExecutor as seen by a Python without the private ``_threads``."""

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        self._pool = pool

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


@pytest.mark.parametrize("private", [True, False], ids=["_threads", "no _threads"])
def test_pool_threads_are_joined(private):
    before = set(threading.enumerate())
    pool = ThreadPoolExecutor(2, thread_name_prefix="internals-test")
    finish = threading.Event()
    futures = [pool.submit(finish.wait, 10) for _ in range(2)]
    pool.shutdown(wait=False)
    threading.Timer(0.3, finish.set).start()
    _internals.join_pool_threads(pool if private else _PoolWithoutThreadSet(pool), 10)  # type: ignore[arg-type]
    assert all(future.done() for future in futures)
    left = [t for t in threading.enumerate() if t not in before and t.name.startswith("internals")]
    assert left == []


def test_joining_pool_threads_respects_the_timeout():
    pool = ThreadPoolExecutor(1, thread_name_prefix="internals-test")
    finish = threading.Event()
    pool.submit(finish.wait, 10)
    pool.shutdown(wait=False)
    started = time.monotonic()
    _internals.join_pool_threads(pool, 0.2)
    assert time.monotonic() - started < 2
    finish.set()
    pool.shutdown(wait=True)


# --- call_before_thread_joins: threading._register_atexit -------------------------------------


def test_without_threading_exit_hooks_the_hook_goes_to_atexit(monkeypatch):
    registered: list[object] = []
    monkeypatch.delattr(threading, "_register_atexit")
    monkeypatch.setattr(_internals.atexit, "register", registered.append)

    def hook() -> None:
        pass

    _internals.call_before_thread_joins(hook)
    assert registered == [hook]


_EXIT_SCRIPT = """
import threading, time
import concurrent.futures.thread  # registers its own exit hook first, as it always does
{remove}
from hfspace_sdk.jobs import JobRunner

runner = JobRunner(1)
original = runner.cancel_all
def cancel_all():
    print("cancelled at exit", flush=True)
    original()
runner.cancel_all = cancel_all

def generation(scope):
    yield "started"
    scope.wait({wait})  # a stream that would block this long
    scope.check()
    print("job ended by itself", flush=True)

job = runner.start(generation, total_seconds=300, name="t")
print(next(iter(job)), flush=True)
begun = time.monotonic()
"""


@pytest.mark.parametrize("private", [True, False], ids=["_register_atexit", "atexit"])
def test_a_script_ending_with_a_job_in_flight_exits(private):
    """With threading's hook the job is cancelled before the pool is joined (exit at once);
    with atexit's it is cancelled after the join, so the exit waits for the job (slower)."""
    wait = 120 if private else 2
    remove = "" if private else "del threading._register_atexit"
    script = textwrap.dedent(_EXIT_SCRIPT).format(remove=remove, wait=wait)
    begun = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=90
    )
    seconds = time.monotonic() - begun
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "started"
    assert "cancelled at exit" in lines
    if private:
        assert "job ended by itself" not in lines and seconds < 60
    else:
        assert lines[1:] == ["job ended by itself", "cancelled at exit"]
