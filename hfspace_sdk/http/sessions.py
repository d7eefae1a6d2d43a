"""Sessions and connections: abortable from another thread, and never adding credentials.

A request joins an in-flight record that a cancel can abort (shutting its sockets down), and
a streaming response can be interrupted the same way. Sessions never read ``~/.netrc``, and
drop our credential headers when a redirect leaves the origin.
"""

from __future__ import annotations

import socket
import threading
from contextlib import suppress
from typing import Any, Union
from urllib.parse import urlsplit

import requests
import requests.adapters
import urllib3.connection
import urllib3.connectionpool

from .._internals import close_pools_when_dropped, socket_of

__all__ = ["SECRET_HEADERS", "Adapter", "InFlight", "Session", "abort_response", "in_flight"]

#: Headers that carry credentials: dropped when a redirect leaves the origin, never logged.
SECRET_HEADERS = ("authorization", "cookie", "x-zerogpu-token", "x-zerogpu-uuid", "x-ip-token")


class InFlight:
    """The connections one request uses, and whether the request was aborted.

    The flag closes the windows where a cancel arrives before a connection is known or while
    it connects: the connection checks it when it joins and again once connected.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: list[Any] = []
        self.aborted = False

    def join(self, connection: Any) -> None:
        with self._lock:
            self._connections.append(connection)
            aborted = self.aborted
        if aborted:
            raise requests.ConnectionError("aborted before sending")

    def abort(self) -> None:
        """Interrupt every blocking operation on these connections (send, wait for headers)."""
        with self._lock:
            self.aborted = True
            connections = list(self._connections)
        for connection in connections:
            _shut_down_socket(getattr(connection, "sock", None))


def _shut_down_socket(sock: Any) -> None:
    if isinstance(sock, socket.socket):
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


in_flight = threading.local()  # .request: the InFlight of the request this thread is sending


class _TrackedConnectionMixin:
    """Joins the sending thread's in-flight record, so another thread can abort it."""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        record = getattr(in_flight, "request", None)
        if record is not None:
            record.join(self)
        return super().request(*args, **kwargs)  # type: ignore[misc]

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        record = getattr(in_flight, "request", None)
        if record is not None and record.aborted:
            _shut_down_socket(getattr(self, "sock", None))


class _TrackedHTTPConnection(_TrackedConnectionMixin, urllib3.connection.HTTPConnection):
    pass


class _TrackedHTTPSConnection(_TrackedConnectionMixin, urllib3.connection.HTTPSConnection):
    pass


class _TrackedHTTPPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _TrackedHTTPConnection


class _TrackedHTTPSPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _TrackedHTTPSConnection


class Adapter(requests.adapters.HTTPAdapter):
    """An adapter whose direct connections can be interrupted, and whose pools close when dropped."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _TrackedHTTPPool,
            "https": _TrackedHTTPSPool,
        }
        self._pools_close_when_dropped = close_pools_when_dropped(self.poolmanager)

    def close(self) -> None:
        if not self._pools_close_when_dropped:  # urllib3 would only forget them: close them
            pools = self.poolmanager.pools
            for key in list(pools.keys()):
                pool = pools.get(key)
                if pool is not None:
                    pool.close()
        super().close()


#: Origins whose environment settings a session remembers.
_ENVIRONMENT_CACHE_SIZE = 64


class Session(requests.Session):
    """A session that never adds credentials of its own, and drops ours on cross-host redirects.

    requests would read ``~/.netrc`` (``trust_env``) and add its ``Authorization`` to any host,
    Spaces and image hosts included, and again on redirects: credentials go only where the SDK
    puts them.
    """

    def __init__(self) -> None:
        super().__init__()
        self.auth = _no_auth  # set: requests then never looks up netrc credentials
        self._environment: dict[str, Any] = {}

    def merge_environment_settings(
        self, url: Union[str, bytes, None], proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> Any:  # requests' private _Settings dict
        """requests' proxy and CA-bundle settings from the environment, read once per origin.

        requests scans the whole environment twice per request (proxies, then ``no_proxy``):
        a millisecond of CPU per call on loopback, more than the rest of a request costs.
        The environment is read at the first request to an origin, like the SDK's settings.
        """
        if proxies or verify is not None or cert is not None or not isinstance(url, str):
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        settings = self._environment.get(origin)
        if settings is None:
            if len(self._environment) >= _ENVIRONMENT_CACHE_SIZE:
                self._environment.clear()  # many image hosts: keep the cache small
            settings = super().merge_environment_settings(url, proxies, None, verify, cert)
            self._environment[origin] = settings
        return {
            **settings,
            "proxies": dict(settings["proxies"]),
            "stream": self.stream if stream is None else stream,
        }

    def rebuild_auth(
        self, prepared_request: requests.PreparedRequest, response: requests.Response
    ) -> None:
        original = response.request.url or ""
        if self.should_strip_auth(original, prepared_request.url or ""):  # type: ignore[no-untyped-call]
            for header in SECRET_HEADERS:
                prepared_request.headers.pop(header, None)


def _no_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    return request


def abort_response(response: requests.Response) -> None:
    """Interrupt a read blocked on ``response`` from another thread.

    ``close()`` does not wake a thread blocked in ``recv`` (it even waits for that read, on the
    socket file's lock); shutting the socket down does. The reading thread then sees the
    connection end and closes the response itself. With no socket reachable, nothing is done:
    the read ends at its read timeout, and the reader, seeing the stop, reports it.
    """
    sock = socket_of(response.raw)
    if sock is not None:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
