"""Helpers for the lifecycle tests: a stub Space that holds requests, and resource probes.

:class:`StubSpace` plays a Gradio 6 Space (and the Hugging Face hub) on 127.0.0.1. It records
every request and answers only the phases it is not told to hold: a held request is read and
then never answered, until the client hangs up. It runs on a single asyncio thread started
before any test takes its thread baseline, so it adds no threads while a test runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import json
import logging
import os
import queue
import re
import socket
import sys
import threading
import time
import traceback
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import parse_qs, urlsplit

from gradio_answers import STUB_DEPENDENCIES

from hfspace_sdk.testing import LOOKALIKES
from hfspace_sdk.testing.hub import FakeHub

PREFIX = "/gradio_api"
#: A Gradio 6 /config naming every provider's function (``infer`` is fn 2).
STUB_CONFIG = {
    "version": "6.0.0",
    "api_prefix": PREFIX,
    "protocol": "sse_v3",
    "dependencies": STUB_DEPENDENCIES,
}
#: What a stub queue stream sends once the job "runs": a ZeroGPU log line and a progress step.
RUNNING_MESSAGES = (
    {"msg": "process_starts", "eta": 1.0},
    {"msg": "log", "log": "Using 1 GPU", "level": "info"},
    {
        "msg": "progress",
        "progress_data": [{"index": 1, "length": 28, "unit": "steps", "desc": "Sampling"}],
    },
)
#: Phases a test may hold (never answer): see :meth:`StubSpace._route`.
PHASES = ("config", "submit", "hub", "queue-wait")


@dataclass(frozen=True)
class StubRequest:
    """One request the stub received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class _Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    stream: tuple[dict[str, Any], ...] = ()  # SSE messages, then the stream is held
    sse_event: Optional[str] = None  # /call streams name their events
    hold: bool = False


class StubSpace:
    """A Space and hub on one asyncio thread; ``hold`` names the phases never answered."""

    def __init__(self) -> None:
        self.hold: set[str] = set()
        self._requests: list[StubRequest] = []
        self._cond = threading.Condition()
        self._counter = 0
        self._hub = FakeHub(jwt_token="stub-jwt", page_token="stub-page", session_uuid="stub-uuid")
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        self.url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(
            target=self._serve, args=(listener,), name="lifecycle-stub", daemon=True
        )
        self._thread.start()
        assert self._started.wait(10), "the stub Space did not start"

    # --- test side ---------------------------------------------------------------------------

    def reset(self, *, hold: Iterable[str] = ()) -> None:
        unknown = set(hold) - set(PHASES)
        assert not unknown, f"unknown phases {unknown}"
        with self._cond:
            self.hold = set(hold)
            self._requests.clear()

    @property
    def requests(self) -> list[StubRequest]:
        with self._cond:
            return list(self._requests)

    def wait_for(
        self, predicate: Callable[[StubRequest], bool], *, timeout: float = 10.0, what: str = ""
    ) -> StubRequest:
        """The first recorded request matching ``predicate``, waiting up to ``timeout``."""
        found: list[StubRequest] = []

        def match() -> bool:
            found[:] = [r for r in self._requests if predicate(r)][:1]
            return bool(found)

        with self._cond:
            if not self._cond.wait_for(match, timeout):
                paths = [f"{r.method} {r.path}" for r in self._requests]
                raise AssertionError(f"the stub never received {what or predicate}; got {paths}")
        return found[0]

    def wait_path(self, method: str, path_pattern: str, *, timeout: float = 10.0) -> StubRequest:
        pattern = re.compile(path_pattern)
        return self.wait_for(
            lambda r: r.method == method and bool(pattern.fullmatch(r.path)),
            timeout=timeout,
            what=f"{method} {path_pattern}",
        )

    def cancels(self) -> list[dict[str, Any]]:
        """The bodies of the ``/cancel`` requests received so far."""
        return [r.json() for r in self.requests if r.path == f"{PREFIX}/cancel"]

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    # --- server side -------------------------------------------------------------------------

    def _serve(self, listener: socket.socket) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._connection, sock=listener)
        )
        self._started.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()
            tasks = asyncio.all_tasks(self._loop)
            for task in tasks:
                task.cancel()
            self._loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            self._loop.run_until_complete(server.wait_closed())
            self._loop.close()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
                    return
                request = await self._read_request(head, reader)
                reply = self._route(request)
                if reply.hold:
                    await _until_hang_up(reader)
                    return
                if reply.stream or reply.sse_event is not None:
                    await self._send_stream(writer, reply)
                    await _until_hang_up(reader)
                    return
                writer.write(
                    (
                        f"HTTP/1.1 {reply.status} X\r\nContent-Type: {reply.content_type}\r\n"
                        f"Content-Length: {len(reply.body)}\r\n\r\n"
                    ).encode()
                    + reply.body
                )
                await writer.drain()
        except (ConnectionError, OSError, asyncio.CancelledError):
            return  # the client went away, or the stub is closing (no error to report)
        finally:
            writer.close()

    async def _read_request(self, head: bytes, reader: asyncio.StreamReader) -> StubRequest:
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        length = int(headers.get("content-length") or 0)
        body = await reader.readexactly(length) if length else b""
        split = urlsplit(target)
        request = StubRequest(method, split.path, parse_qs(split.query), headers, body)
        with self._cond:
            self._requests.append(request)
            self._cond.notify_all()
        return request

    def _next_id(self, kind: str) -> str:
        with self._cond:
            self._counter += 1
            return f"{kind}-{self._counter}"

    def _route(self, request: StubRequest) -> _Reply:
        """What to answer; ``hold`` phases are read and never answered."""
        method, path, hold = request.method, request.path, self.hold
        if method == "GET" and path == "/config":
            return _Reply(hold=True) if "config" in hold else _json(STUB_CONFIG)
        if method == "GET" and re.fullmatch(r"/spaces/[^/]+/[^/]+", path):
            if "hub" in hold:
                return _Reply(hold=True)
            page = self._hub.page_html(path[len("/spaces/") :])
            return _Reply(body=page.encode(), content_type="text/html; charset=utf-8")
        if method == "GET" and re.fullmatch(r"/api/spaces/[^/]+/[^/]+/jwt", path):
            if "hub" in hold:
                return _Reply(hold=True)
            return _json({"token": "stub-jwt", "exp": int(time.time()) + 600})
        if method == "POST" and path in (f"{PREFIX}/call/infer", f"{PREFIX}/queue/join"):
            if "submit" in hold:
                return _Reply(hold=True)
            return _json({"event_id": self._next_id("call" if "call" in path else "queue")})
        if method == "GET" and path.startswith(f"{PREFIX}/call/infer/"):
            return _Reply(sse_event="heartbeat")  # a /call job that never ends
        if method == "GET" and path == f"{PREFIX}/queue/data":
            return _Reply(stream=self._queue_messages())
        if method == "POST" and path == f"{PREFIX}/run/predict":
            return _Reply(hold=True)  # run/predict answers only when the image is made
        if method == "POST" and path == f"{PREFIX}/cancel":
            return _json({"success": True})
        return _json({"error": "Not Found"}, status=404)

    def _queue_messages(self) -> tuple[dict[str, Any], ...]:
        """A queue stream: the job waits, then (unless ``queue-wait`` is held) starts running.

        The messages carry no ``event_id``, which the SDK's decoder takes as its own job's.
        """
        queued = {"msg": "estimation", "rank": 1, "queue_size": 2, "rank_eta": 30.0}
        if "queue-wait" in self.hold:
            return (queued,)
        return (queued, *RUNNING_MESSAGES)

    async def _send_stream(self, writer: asyncio.StreamWriter, reply: _Reply) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            b"Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunks = []
        if reply.sse_event is not None:
            chunks.append(f"event: {reply.sse_event}\ndata: null\n\n".encode())
        chunks.extend(f"data: {json.dumps(m)}\n\n".encode() for m in reply.stream)
        for chunk in chunks:
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        await writer.drain()


def _json(value: Any, *, status: int = 200) -> _Reply:
    return _Reply(status=status, body=json.dumps(value).encode())


async def _until_hang_up(reader: asyncio.StreamReader) -> None:
    """Hold the connection until the client closes (or shuts down) its side."""
    with contextlib.suppress(ConnectionError, OSError):
        while await reader.read(65536):
            pass


def stub_options(stub: StubSpace, **extra: Any) -> dict[str, Any]:
    """Client/provider keywords sending every Space and hub request to the stub."""
    space_ids = [space_id for ids in LOOKALIKES.values() for space_id in ids]
    return {
        "space_urls": dict.fromkeys(space_ids, stub.url),
        "hub_url": stub.url,
        "timeout": 120,
        **extra,
    }


def stub_environment(stub: StubSpace) -> dict[str, str]:
    """The environment that sends a class-level call's requests to the stub."""
    pairs = [f"{space_id}={stub.url}" for ids in LOOKALIKES.values() for space_id in ids]
    return {"HFSPACE_SPACE_URLS": ",".join(pairs), "HF_ENDPOINT": stub.url}


# --- resource probes --------------------------------------------------------------------------


def threads() -> set[threading.Thread]:
    return set(threading.enumerate())


#: Threads of the session's fixtures that may come and go while a test runs (the look-alike
#: servers start in the background): not the process under test's own threads.
FIXTURE_THREADS = ("lookalike-",)


def extra_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    """Threads alive now that were not in ``before`` (fixture threads aside)."""
    return [
        t
        for t in threading.enumerate()
        if t not in before and t.is_alive() and not t.name.startswith(FIXTURE_THREADS)
    ]


def join_extra_threads(before: set[threading.Thread], timeout: float = 5.0) -> list[str]:
    """Join the threads started since ``before`` (up to ``timeout`` in all); the names left."""
    deadline = time.monotonic() + timeout
    for thread in extra_threads(before):
        thread.join(max(0.0, deadline - time.monotonic()))
    return sorted(t.name for t in extra_threads(before))


def assert_no_threads_left(before: set[threading.Thread]) -> None:
    """Called right after ``close()``: the thread set is back to ``before`` (``close()`` joins
    the pool's threads and the ticker's; no request runs on a thread of its own)."""
    assert [t.name for t in extra_threads(before)] == [], "threads left after close()"


def collect_until_gone(before: set[threading.Thread], timeout: float = 5.0) -> list[str]:
    """Like :func:`join_extra_threads`, collecting garbage between joins (for owners that
    are only released by the cyclic collector)."""
    deadline = time.monotonic() + timeout
    while extra_threads(before) and time.monotonic() < deadline:
        gc.collect()
        for thread in extra_threads(before):
            thread.join(0.05)
    return sorted(t.name for t in extra_threads(before))


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


def settle() -> None:
    """Collect garbage so that only live objects count."""
    for _ in range(3):
        gc.collect()


class LogWatcher(logging.Handler):
    """Collects the SDK's log messages and lets a test wait for one (no polling)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self._messages: list[str] = []
        self._cond = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        with self._cond:
            self._messages.append(message)
            self._cond.notify_all()

    @property
    def messages(self) -> list[str]:
        with self._cond:
            return list(self._messages)

    def wait_for(self, pattern: str, *, count: int = 1, timeout: float = 10.0) -> list[str]:
        """The first ``count`` messages matching ``pattern``, waiting up to ``timeout``."""
        regex = re.compile(pattern)
        found: list[str] = []

        def match() -> bool:
            found[:] = [m for m in self._messages if regex.search(m)][:count]
            return len(found) == count

        with self._cond:
            if not self._cond.wait_for(match, timeout):
                raise AssertionError(
                    f"not {count} log messages matching {pattern!r}: {self._messages[-20:]}"
                )
        return found


@contextlib.contextmanager
def watching_logs(name: str = "hfspace_sdk") -> Iterator[LogWatcher]:
    """Collect the SDK's log, debug lines included (``hfspace_sdk.http`` logs every request)."""
    logger = logging.getLogger(name)
    watcher = LogWatcher()
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(watcher)
    try:
        yield watcher
    finally:
        logger.removeHandler(watcher)
        logger.setLevel(level)


class EventPump:
    """Iterates a job (or any iterator) on a thread of its own, so a test can wait with a limit."""

    _END = object()

    def __init__(self, events: Iterable[Any]) -> None:
        self._items: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.error: Optional[BaseException] = None
        self.thread = threading.Thread(
            target=self._pump, args=(events,), name="lifecycle-pump", daemon=True
        )
        self.thread.start()

    def _pump(self, events: Iterable[Any]) -> None:
        try:
            for event in events:
                self._items.put(event)
        except BaseException as exc:  # handed to the test thread
            self.error = exc
        self._items.put(self._END)

    def next(self, timeout: float) -> Any:
        """The next event; raises the iteration's error at the end; ``queue.Empty`` on timeout."""
        item = self._items.get(timeout=timeout)
        if item is self._END:
            self._items.put(self._END)
            if self.error is not None:
                raise self.error
            raise StopIteration
        return item

    def finish(self, timeout: float) -> BaseException | None:
        """Drain to the end (at most ``timeout`` s); the iteration's error, if any."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.next(max(0.0, deadline - time.monotonic()))
            except StopIteration:
                break
            except queue.Empty:
                raise AssertionError(f"the iteration did not end within {timeout:g} s") from None
            except BaseException:
                break
        self.thread.join(max(0.0, deadline - time.monotonic()))
        return self.error


def describe(errors: Iterable[BaseException]) -> str:
    """The errors with their tracebacks and causes, for an assertion message."""
    return "\n".join(
        "".join(traceback.format_exception(type(error), error, error.__traceback__))
        for error in errors
    )


def python_memory() -> int:
    """Memory blocks the interpreter has allocated and not freed, after a full collection."""
    settle()
    return sys.getallocatedblocks()


def trimmed_rss_kib() -> int:
    """RSS after a full collection and after malloc gives its free pages back (glibc)."""
    settle()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return rss_kib()


#: The SDK's debug line for a request asking a Space to cancel a job (sent best effort, after
#: the job's outcome reached its caller; the look-alikes may answer it late, as a Space can).
CANCEL_REQUEST = r"^POST http://\S+/gradio_api/cancel$"


def queue_size(base_url: str) -> int:
    """How many jobs wait in a look-alike's Gradio queue (not counting those running)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{base_url}/gradio_api/queue/status", timeout=5) as answer:
        return int(json.load(answer)["queue_size"])


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> float:
    """Poll ``condition`` (for server state nothing can wait on) every 50 ms; seconds taken."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(0.05)
    return time.monotonic() - started


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    """``action()``'s result and how long it took in seconds."""
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started
