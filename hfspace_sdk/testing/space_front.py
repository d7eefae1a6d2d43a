"""Spaces that sleep, build, get paused or crash, for tests (standard library only).

A :class:`ScriptedSpace` is a Space's stage over time, as the fake hub's runtime route reports
it (``GET /api/spaces/{id}/runtime``). A *front* (:func:`serve_space_front`) is the Space's own
URL, as ``*.hf.space`` serves it: while the Space is not running it answers 503 (an HTML page,
or "Your space is in error" for a crash), a visit to its page wakes a sleeping Space, and once
it runs every request goes through to the look-alike behind it, streams included::

    with serve_hub() as hub, serve_space("flux-dev") as lookalike:
        space = hub.add_space("black-forest-labs/FLUX.1-dev", "SLEEPING", start_seconds=1)
        with serve_space_front(space, lookalike.url) as front:
            client = Client(hub_url=hub.url, space_urls={space.space_id: front.url})
"""

from __future__ import annotations

import contextlib
import http.client
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional
from urllib.parse import urlsplit

from .threads import serving

__all__ = ["SPACE_STAGES", "ScriptedSpace", "SpaceFront", "serve_space_front"]

#: The stages a scripted Space may be put in (huggingface_hub's, and the Hub's ``SLEEPING``).
SPACE_STAGES = frozenset(
    {
        "NO_APP_FILE",
        "CONFIG_ERROR",
        "BUILDING",
        "BUILD_ERROR",
        "RUNNING",
        "RUNNING_BUILDING",
        "RUNTIME_ERROR",
        "DELETING",
        "STOPPED",
        "PAUSED",
        "APP_STARTING",
        "RUNNING_APP_STARTING",
        "SLEEPING",
    }
)
_ASLEEP = ("SLEEPING", "STOPPED")
_IN_ERROR_TEXT = "Your space is in error, check its status on hf.co"
# Headers that belong to one connection, not to the request or answer passed through.
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-length"}
)
_UPSTREAM_TIMEOUT = 120.0  # seconds without a byte from the look-alike (its heartbeat is 15 s)


class ScriptedSpace:
    """One Space's stage over time. Thread-safe.

    ``SLEEPING``/``STOPPED`` last until :meth:`wake` (a visit to the Space's page), then the
    Space starts (``APP_STARTING``) for ``start_seconds`` and runs. ``BUILDING`` lasts
    ``build_seconds`` from when it was set, then the Space starts the same way. Any other stage
    (``PAUSED``, ``RUNTIME_ERROR``, ...) lasts until :meth:`set_stage`.
    """

    def __init__(
        self,
        space_id: str,
        stage: str = "RUNNING",
        *,
        start_seconds: float = 0.0,
        build_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.space_id = space_id
        self.start_seconds = start_seconds
        self.build_seconds = build_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._visits = 0
        self._set(stage)

    def _set(self, stage: str) -> None:
        if stage not in SPACE_STAGES:
            raise ValueError(
                f"unknown Space stage {stage!r}; the stages are {sorted(SPACE_STAGES)}"
            )
        self._stage = stage
        self._since = self._clock()

    def set_stage(self, stage: str) -> None:
        """Put the Space in ``stage`` now (its timed steps start over)."""
        with self._lock:
            self._set(stage)

    @property
    def stage(self) -> str:
        """The stage now, after the timed steps that are due."""
        with self._lock:
            elapsed = self._clock() - self._since
            if self._stage == "BUILDING" and elapsed >= self.build_seconds:
                self._stage, self._since = "APP_STARTING", self._since + self.build_seconds
                elapsed -= self.build_seconds
            if self._stage == "APP_STARTING" and elapsed >= self.start_seconds:
                self._stage = "RUNNING"
            return self._stage

    @property
    def visits(self) -> int:
        """How many times the Space's page was visited (each one wakes a sleeping Space)."""
        with self._lock:
            return self._visits

    def wake(self) -> None:
        """A visit to the Space's page: a sleeping or stopped Space starts."""
        with self._lock:
            self._visits += 1
            if self._stage in _ASLEEP:
                self._stage, self._since = "APP_STARTING", self._clock()

    def runtime(self) -> dict[str, object]:
        """The hub's ``/runtime`` answer for this Space."""
        return {
            "stage": self.stage,
            "hardware": {"current": "zero-a10g", "requested": "zero-a10g"},
            "storage": None,
            "gcTimeout": 172800,
            "replicas": {"current": 1, "requested": 1},
        }


class SpaceFront:
    """A running front: its URL and the Space it fronts."""

    def __init__(self, space: ScriptedSpace, upstream: Optional[str]) -> None:
        self.space = space
        self.upstream = upstream.rstrip("/") if upstream else None
        self.url = ""
        self._lock = threading.Lock()
        self._passed: list[str] = []

    @property
    def passed_through(self) -> list[str]:
        """``"METHOD /path"`` of each request that reached the look-alike, oldest first."""
        with self._lock:
            return list(self._passed)

    def _record(self, line: str) -> None:
        with self._lock:
            self._passed.append(line)


class _FrontHandler(BaseHTTPRequestHandler):
    server: _FrontServer
    # HTTP/1.0: one request per connection, so a passed-through stream ends with the connection
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""

    def _answer(self, status: int, body: str, content_type: str) -> None:
        payload = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _handle(self) -> None:
        front = self.server.front
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else None
        if urlsplit(self.path).path in ("", "/") and self.command in ("GET", "HEAD"):
            front.space.wake()
        stage = front.space.stage
        if stage == "RUNNING" and front.upstream:
            front._record(f"{self.command} {urlsplit(self.path).path}")
            self._pass_through(front.upstream, body)
        elif stage == "RUNTIME_ERROR":
            self._answer(503, _IN_ERROR_TEXT, "text/plain; charset=utf-8")
        else:
            page = (
                f"<!DOCTYPE html><html><body><h1>{front.space.space_id}: {stage}</h1></body></html>"
            )
            self._answer(503, page, "text/html; charset=utf-8")

    def _pass_through(self, upstream: str, body: Optional[bytes]) -> None:
        """Send the request on to the look-alike and stream its answer back as it comes."""
        target = urlsplit(upstream)
        connection = http.client.HTTPConnection(
            target.hostname or "127.0.0.1", target.port, timeout=_UPSTREAM_TIMEOUT
        )
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            answer = connection.getresponse()
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.end_headers()
            while chunk := answer.read1(65536):
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:
            pass  # either side went away: the connection closes, as a proxy's would
        finally:
            connection.close()

    do_GET = do_HEAD = do_POST = _handle


class _FrontServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # one connection per request: many jobs connect at once

    def __init__(self, front: SpaceFront) -> None:
        super().__init__(("127.0.0.1", 0), _FrontHandler)
        self.front = front


@contextlib.contextmanager
def serve_space_front(space: ScriptedSpace, upstream: Optional[str] = None) -> Iterator[SpaceFront]:
    """Serve ``space``'s own URL on a free loopback port, passing through to ``upstream``
    (a look-alike's URL) while it runs. Yields the :class:`SpaceFront`; stopped on exit."""
    front = SpaceFront(space, upstream)
    server = _FrontServer(front)
    front.url = f"http://127.0.0.1:{server.server_address[1]}"
    with serving(server, "space-front"):
        yield front
