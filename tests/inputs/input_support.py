"""Helpers shared by the bad-input tests (a uniquely named module: tests/ has no packages)."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import responses

from hfspace_sdk import HFSpaceError, InvalidArgumentError

#: What ``pytest.raises`` raises when nothing was raised (for strict xfails of accepted input).
DID_NOT_RAISE = pytest.fail.Exception


class Tally:
    """How many bad inputs were tried, and at how many entry points."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls = 0
        self.values: set[str] = set()
        self.entry_points: set[str] = set()

    def add(self, entry_point: str, value: str) -> None:
        with self._lock:
            self.calls += 1
            self.values.add(value)
            self.entry_points.add(entry_point)


class AcceptedBadInput(AssertionError):
    """The SDK accepted a bad input: it returned, or failed only after sending requests."""


@contextlib.contextmanager
def recording_mock() -> Iterator[responses.RequestsMock]:
    """A ``requests`` mock that records every request the SDK sends and answers it 400.

    A quick 400 (never retried) makes an accepted bad input fail fast; nothing leaves the process.
    """
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        for method in (responses.GET, responses.POST):
            mocked.add(method, re.compile(r".*"), status=400, json={"error": "sent by mistake"})
        yield mocked


def reject_everywhere(
    attempts: Iterable[tuple[str, Callable[[responses.RequestsMock], None]]],
) -> None:
    """Run every ``(name, attempt(mocked))``, each under its own recording mock; report all failures.

    One test item per bad input keeps the suite fast; a failure lists every entry point that
    let the input through.
    """
    failures = []
    for name, attempt in attempts:
        with recording_mock() as mocked:
            try:
                attempt(mocked)
            except (Exception, pytest.fail.Exception) as exc:
                failures.append(f"{name}: {type(exc).__name__}: {exc}"[:800])
    assert not failures, "\n".join(failures)


def drain(result: Any) -> None:
    """Touch a returned iterator so that a lazily raised error would surface, then close it."""
    if isinstance(result, Iterator):
        try:
            next(result, None)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()


def expect_rejection(
    call: Callable[[], object], mocked: responses.RequestsMock
) -> InvalidArgumentError:
    """Run ``call``: it must raise ``InvalidArgumentError`` with no request sent. Returns the error.

    Raises:
        AcceptedBadInput: the call returned, or raised another SDK error (after requests).
        Whatever else the call raised (a ``TypeError`` leaking out of the SDK, for example).
    """
    try:
        drain(call())
    except InvalidArgumentError as exc:
        error = exc
    except HFSpaceError as exc:
        raise AcceptedBadInput(
            f"accepted: {len(mocked.calls)} request(s) sent, then {type(exc).__name__}: {exc}"
        ) from exc
    else:
        raise AcceptedBadInput(f"accepted: returned normally, {len(mocked.calls)} request(s) sent")
    assert len(mocked.calls) == 0, [c.request.url for c in mocked.calls]
    assert isinstance(error, ValueError)
    return error


class _Silent(BaseHTTPRequestHandler):
    server: SilentServer

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""

    def _any(self) -> None:
        self.server.seen.append(f"{self.command} {self.path}")
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_GET = do_POST = do_HEAD = _any


class SilentServer(ThreadingHTTPServer):
    """A server on 127.0.0.1 that records every request (and answers 400, never retried)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Silent)
        self.seen: list[str] = []
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
