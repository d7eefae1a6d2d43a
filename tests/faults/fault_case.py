"""The scenario runner behind the ``case`` fixture: timing, outcome, requests sent, leaks.

Leak checks, after the test closed its client:

* threads: ``threading.enumerate()`` before and after, compared by identity (the fault server's
  and the look-alikes' own threads are ignored); every new thread must end (joined, with a
  deadline, never a sleep);
* sockets: the fault server sees whether the client closed its side of every connection it
  accepted (each connection's thread reads until the client's FIN; the check waits on their
  events);
* file descriptors: ``/proc/self/fd`` (with their targets) before and after, minus the fault
  server's own sockets and the look-alike subprocess's pipes and log file.

Client sockets that are still open right after ``close()`` but go away once the garbage
collector runs were bug B1 (fixed): they now fail the check (and B1 keeps its own
test) rather than failing every scenario whose error creates a reference cycle.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

import pytest
from fault_scenarios import MARGIN, ROUTES, SCENARIOS, Scenario, normalize
from fault_server import FaultServer

from hfspace_sdk.config import Settings
from hfspace_sdk.providers.base import Provider

HERE = os.path.dirname(os.path.abspath(__file__))
SPACE_IDS = (
    "black-forest-labs/FLUX.1-schnell",
    "voodoohop/FLUX.1-schnell",
    "black-forest-labs/FLUX.1-dev",
    "roxky/FLUX.1-dev",
    "deepseek-ai/Janus-Pro-7B",
    "roxky/Janus-Pro-7B",
    "roxky/g4f-flux",
    "black-forest-labs/FLUX.1-Kontext-Dev",
    "stabilityai/stable-diffusion-3.5-large",
)
#: Fixtures that start long-lived infrastructure: set up before a case takes its baseline.
INFRASTRUCTURE = ("server", "fault_lookalikes")
#: The look-alikes start in the background while other tests run: their thread (and the
#: launcher's stdout reader), pipes and log file belong to no scenario.
LOOKALIKE_THREAD = "fault-lookalikes"
_INFRASTRUCTURE_THREADS = (LOOKALIKE_THREAD, "lookalike-stdout", "fault-server-")
_INFRASTRUCTURE_FDS = ("pipe:", "hfspace-lookalike-")
_SOCKET_WAIT = 3.0  # the longest a closed client's FINs may take to reach the server
_JOIN_DEADLINE = 5.0


@dataclass
class Measured:
    """What one scenario run produced (kept for the terminal summary)."""

    key: str
    test: str
    outcome: str = ""
    message: str = ""
    elapsed: Optional[float] = None
    leaks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


RESULTS = pytest.StashKey[list[Measured]]()
EXECUTED = pytest.StashKey[set[str]]()
FULL_RUN = pytest.StashKey[bool]()


@dataclass(frozen=True)
class ErrorInfo:
    """The part of an exception a test may look at: never the exception itself.

    Keeping the exception (and its traceback, which references frames, responses and connection
    pools) would keep sockets alive after ``close()`` and hide or fake leaks.
    """

    type: str
    message: str
    attrs: Mapping[str, Any]


_ATTRS = ("status_code", "retry_after", "requested", "left", "title", "space", "url")


def _info(exc: BaseException) -> ErrorInfo:
    attrs = {name: getattr(exc, name) for name in _ATTRS if hasattr(exc, name)}
    return ErrorInfo(type(exc).__name__, str(exc), attrs)


class _SendCounter(logging.Handler):
    """Counts the requests the SDK's HTTP client sent (its "METHOD URL" debug records), by route.

    For scenarios without a server to count them (an unreachable host): every try, and every
    question to the (equally unreachable) hub, is one record.
    """

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sent: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "%s %s" and isinstance(record.args, tuple) and len(record.args) == 2:
            self.sent.append(f"{record.args[0]} {record.args[1]}")

    def by_route(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for line in self.sent:
            method, url = line.split(" ", 1)
            label = _route_label(method, urlsplit(url).path)
            counts[label] = counts.get(label, 0) + 1
        return counts


def _fds() -> dict[int, str]:
    """Open file descriptors and what they point to, minus the look-alikes' pipes and log."""
    fds = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:  # the directory's own descriptor, already closed
            continue
        if not any(marker in target for marker in _INFRASTRUCTURE_FDS):
            fds[int(name)] = target
    return fds


class Case:
    """One scenario run: timing, outcome and request checks, then leak checks at teardown."""

    def __init__(self, item: pytest.Item, server: Optional[FaultServer]) -> None:
        self.item = item
        self.server = server
        self.scenario: Optional[Scenario] = None
        self.measured: Optional[Measured] = None
        self.finished = False
        self._send_counter = _SendCounter()
        self._http_logger = logging.getLogger("hfspace_sdk.http")
        self._old_level = self._http_logger.level
        self._threads = set(threading.enumerate())
        self._fds = _fds()

    # --- set-up ---------------------------------------------------------------------------------

    def start(self, key: str) -> Scenario:
        """Run scenario ``key`` in this test."""
        assert self.scenario is None, "one scenario per test"
        self.scenario = SCENARIOS[key]
        self.measured = Measured(key=key, test=self.item.nodeid)
        self.item.config.stash[RESULTS].append(self.measured)
        self.item.config.stash[EXECUTED].add(key)
        self._http_logger.addHandler(self._send_counter)
        self._http_logger.setLevel(logging.DEBUG)
        # Records carry the errors (and so their responses and connection pools): pytest's log
        # capture must not keep them, or the sockets would outlive close() because of the test.
        self._http_logger.propagate = False
        return self.scenario

    def options(self, url: Optional[str] = None, **extra: Any) -> dict[str, Any]:
        """Client/provider options sending every Space and hub request to ``url`` (the server)."""
        assert self.scenario is not None
        base = url or (self.server.url if self.server is not None else "http://127.0.0.1:9")
        options: dict[str, Any] = {
            "space_urls": {space: base for space in SPACE_IDS},
            "hub_url": base,
            "timeout": self.scenario.timeout,
        }
        options.update(extra)
        return options

    def provider(
        self, cls: type[Provider], *, sleep: Callable[[float], None], **options: Any
    ) -> Provider:
        """A provider whose retry waits go to ``sleep`` (the public ``retry_sleep`` option)."""
        return cls(
            settings=Settings.from_options(environ={}, retry_sleep=sleep, **self.options(**options))
        )

    # --- the call -------------------------------------------------------------------------------

    def _time(self, call: Callable[[], Any]) -> tuple[Any, Optional[BaseException], float]:
        started = time.monotonic()
        try:
            value = call()
        except Exception as exc:
            return None, exc, time.monotonic() - started
        return value, None, time.monotonic() - started

    def _check_time(self, elapsed: float) -> None:
        assert self.scenario is not None and self.measured is not None
        self.measured.elapsed = elapsed
        limit = self.scenario.limit + MARGIN
        assert elapsed <= limit, (
            f"{self.scenario.key}: took {elapsed:.2f} s, bound {self.scenario.bound} (+{MARGIN:g} s)"
        )
        assert elapsed >= self.scenario.floor, (
            f"{self.scenario.key}: ended after {elapsed:.2f} s, before its timeout "
            f"({self.scenario.floor:.2f} s): something else ended it"
        )

    def error(
        self, call: Callable[[], Any], *, keep: Optional[list[BaseException]] = None
    ) -> ErrorInfo:
        """Run the public call; it must raise the declared error, with the declared message.

        The exception itself is dropped (see :class:`ErrorInfo`) unless ``keep`` asks for it.
        """
        assert self.scenario is not None and self.measured is not None
        value, exc, elapsed = self._time(call)
        self.measured.elapsed = elapsed
        if exc is None:
            self.measured.outcome = "result"
        assert exc is not None, (
            f"{self.scenario.key}: expected {self.scenario.outcome}, got {value!r:.200}"
        )
        info = _info(exc)
        if keep is not None:
            keep.append(exc)
        del exc
        self.measured.outcome = info.type
        self.measured.message = normalize(info.message)
        assert info.type == self.scenario.outcome, (
            f"{self.scenario.key}: expected {self.scenario.outcome}, got {info.type}: {info.message}"
        )
        if not self.scenario.message.startswith("("):
            message = normalize(info.message)
            assert message == self.scenario.message, (
                f"{self.scenario.key}: message {message!r}, declared {self.scenario.message!r}"
            )
        self._check_time(elapsed)
        return info

    def result(self, call: Callable[[], Any]) -> Any:
        """Run the public call; it must succeed within the bound."""
        assert self.scenario is not None and self.measured is not None
        value, exc, elapsed = self._time(call)
        self.measured.elapsed = elapsed
        if exc is not None:
            info = _info(exc)
            del exc
            raise AssertionError(
                f"{self.scenario.key}: expected a result, got {info.type}: {info.message}"
            )
        self.measured.outcome = "result"
        assert self.scenario.outcome == "result", f"{self.scenario.key}: got a result"
        self._check_time(elapsed)
        return value

    # --- after the call -------------------------------------------------------------------------

    def sent(self) -> dict[str, int]:
        """Requests the server received, by route label (``other`` for unknown paths)."""
        counts: dict[str, int] = {}
        assert self.server is not None
        for request in self.server.requests:
            label = _route_label(request.method, request.path)
            counts[label] = counts.get(label, 0) + 1
        return counts

    def finish(self) -> None:
        """Check the requests sent against the declaration (call after the client is closed)."""
        assert self.scenario is not None
        self.finished = True
        expected = {label: count for label, count in self.scenario.sends.items() if count}
        if self.server is not None and "sockets" in self.scenario.leaks:
            sent = self.sent()
            assert sent == expected, f"sent {sent}, declared {expected}: {self.server.log()}"
        else:
            sent = self._send_counter.by_route()
            assert not expected or sent == expected, (
                f"sent {sent}, declared {expected}: {self._send_counter.sent}"
            )

    def check_leaks(self) -> None:
        """Threads, then sockets, then file descriptors; each a separate, named failure."""
        assert self.measured is not None and self.scenario is not None
        problems: list[str] = []
        own_threads = set(self.server.threads) if self.server is not None else set()
        deadline = time.monotonic() + _JOIN_DEADLINE
        new_threads = [
            thread
            for thread in threading.enumerate()
            if thread not in self._threads
            and thread not in own_threads
            and not thread.name.startswith(_INFRASTRUCTURE_THREADS)
        ]
        for thread in new_threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        alive = [thread.name for thread in new_threads if thread.is_alive()]
        if alive:
            problems.append(f"threads: still running after close(): {alive}")
        self.measured.leaks.append("threads")
        # Closing a socket is synchronous: every client socket must be closed now, after
        # close() and with every SDK thread ended, without waiting for the garbage collector.
        lingering = self._lingering_sockets()
        if lingering:
            problems.append(
                f"sockets: {len(lingering)} socket(s) still open after close(): "
                f"{[_addresses(fd) for fd in lingering]}"
            )
        if self.server is not None:
            left = self.server.wait_for_clients(_SOCKET_WAIT)
            if left:
                problems.append(
                    f"sockets: the client kept {len(left)} connection(s) open after close(): "
                    f"{[conn.paths for conn in left]}"
                )
            self.measured.leaks.append("sockets")
        own = self.server.own_fds() if self.server is not None else set()
        new_fds = {
            fd: target
            for fd, target in _fds().items()
            if self._fds.get(fd) != target and fd not in own
        }
        if new_fds:
            problems.append(f"file descriptors opened and not closed: {new_fds}")
        self.measured.leaks.append("fds")
        declared = set(self.scenario.leaks)
        assert declared <= set(self.measured.leaks), (declared, self.measured.leaks)
        assert not problems, "; ".join(problems)

    def _lingering_sockets(self) -> list[int]:
        """Sockets opened since the baseline that are still open, other than the server's."""
        own = self.server.own_fds() if self.server is not None else set()
        port = self.server.port if self.server is not None else None
        return [
            fd
            for fd, target in _fds().items()
            if target.startswith("socket:")
            and self._fds.get(fd) != target
            and fd not in own
            and not _accepted_by_server(fd, port)
        ]

    def close(self) -> None:
        self._http_logger.removeHandler(self._send_counter)
        self._http_logger.setLevel(self._old_level)
        self._http_logger.propagate = True


def _addresses(fd: int) -> tuple[Any, Any]:
    """A socket's (local, peer) addresses, read through a duplicate of its descriptor."""
    try:
        duplicate = socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM)
    except OSError:
        return (None, None)
    with duplicate:
        local: Any = None
        peer: Any = None
        with contextlib.suppress(OSError):
            local = duplicate.getsockname()
        with contextlib.suppress(OSError):
            peer = duplicate.getpeername()
        return (local, peer)


def _accepted_by_server(fd: int, port: Optional[int]) -> bool:
    """True for a server-side socket of the fault server that its accept loop has not yet
    registered (the client connected and left just before the check): its local port is the
    server's. A client socket has the server's port at the other end."""
    local, _ = _addresses(fd)
    return port is not None and isinstance(local, tuple) and local[1] == port


def _route_label(method: str, path: str) -> str:
    """The ``ROUTES`` label of a request (``other`` for unknown paths)."""
    return next(
        (
            name
            for name, (route_method, pattern) in ROUTES.items()
            if route_method == method and re.fullmatch(pattern, path) is not None
        ),
        "other",
    )
