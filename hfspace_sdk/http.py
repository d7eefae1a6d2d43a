"""The HTTP layer: leased sessions, timeouts, secret-safe redirects, bounded bodies, error mapping.

This is the only module that calls ``requests`` directly, and :func:`map_exception` is the one
place that turns what requests, urllib3 or a socket raise into hfspace_sdk errors. requests makes
no thread-safety promise for a shared ``Session``, so each request leases a session that no other request uses
until it is given back (a streaming response keeps its lease until it is closed); idle sessions
keep their connections for reuse, and :meth:`HttpClient.close` closes them all. Secret headers
never follow a redirect to another host.
"""

from __future__ import annotations

import json
import logging
import queue
import socket
import threading
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext, suppress
from typing import Any, Optional, Union
from urllib.parse import urlsplit

import requests
import requests.adapters
import urllib3.connection
import urllib3.connectionpool
import urllib3.exceptions

from ._internals import close_pools_when_dropped, socket_of
from ._version import __version__
from .cancel import CancelScope
from .config import Settings
from .decompress import ACCEPTED_ENCODINGS, decoder_for
from .errors import (
    HFSpaceError,
    InvalidArgumentError,
    ProtocolError,
    SpaceConnectionError,
    SpaceTimeoutError,
    error_for_status,
)

__all__ = ["SECRET_HEADERS", "HttpClient", "map_exception", "read_json"]

logger = logging.getLogger(__name__)

#: Headers that carry credentials: dropped when a redirect leaves the origin, never logged.
SECRET_HEADERS = ("authorization", "cookie", "x-zerogpu-token", "x-zerogpu-uuid", "x-ip-token")
_ERROR_BODY_LIMIT = 64 * 1024
USER_AGENT = f"hfspace-sdk/{__version__} (+https://pypi.org/project/hfspace-sdk/)"
#: What :func:`map_exception` maps; any other exception is a bug and propagates as it is.
_TRANSPORT_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError, zlib.error)


# --- connections that a cancel can reach while a request waits for its answer ----------------


class _InFlight:
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


_in_flight = threading.local()  # .request: the _InFlight of the request this thread is sending


class _TrackedConnectionMixin:
    """Joins the sending thread's in-flight record, so another thread can abort it."""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        record = getattr(_in_flight, "request", None)
        if record is not None:
            record.join(self)
        return super().request(*args, **kwargs)  # type: ignore[misc]

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        record = getattr(_in_flight, "request", None)
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


class _Adapter(requests.adapters.HTTPAdapter):
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


class _Session(requests.Session):
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


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


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


def read_json(response: requests.Response, *, space: Optional[str], what: str) -> Any:
    """The JSON body of a successful response.

    Raises:
        ProtocolError: the body is not JSON.
    """
    try:
        return response.json()
    except ValueError as exc:
        content_type = response.headers.get("content-type", "?")
        raise ProtocolError(
            f"{what} from {_host(response.url)} was not JSON (content-type {content_type})",
            space=space,
        ) from exc


def _without_credentials(response: requests.Response) -> requests.Response:
    """The response with the credentials removed from the request it records.

    Errors keep their response for callers; it must not carry our tokens into logs or pickles.
    """
    if response.request is not None:
        for header in SECRET_HEADERS:
            response.request.headers.pop(header, None)
    return response


def _error_from_response(response: requests.Response, space: Optional[str]) -> HFSpaceError:
    content_type = response.headers.get("content-type", "")
    try:
        text = response.raw.read(_ERROR_BODY_LIMIT, decode_content=True).decode("utf-8", "replace")
    except Exception:  # the body is only decoration for the status error
        text = ""
    body: Any = text
    if content_type.startswith("application/json"):
        try:
            body = json.loads(text)
        except ValueError:
            body = text
    return error_for_status(
        response.status_code,
        content_type=content_type,
        body=body,
        url=response.url,
        space=space,
        retry_after=response.headers.get("retry-after"),
        response=_without_credentials(response),
    )


class HttpClient:
    """Sends requests for one provider or client, with its settings. Thread-safe.

    Args:
        settings: proxy and timeouts come from here.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._idle: queue.SimpleQueue[requests.Session] = queue.SimpleQueue()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._closed = False
        self._streaming_sessions: dict[int, requests.Session] = {}

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called: no new request is sent."""
        return self._closed

    def _lease(self) -> requests.Session:
        """An idle session, or a new one: each session serves one request at a time."""
        if self._closed:
            raise HFSpaceError("The client is closed; create a new one")
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        session = _Session()
        adapter = _Adapter(pool_connections=4, pool_maxsize=4)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers["User-Agent"] = USER_AGENT
        session.verify = True
        if self.settings.proxy:
            session.proxies = {"http": self.settings.proxy, "https": self.settings.proxy}
        with self._lock:
            self._sessions.append(session)
        return session

    def _give_back(self, session: requests.Session) -> None:
        if not self._closed:
            self._idle.put(session)

    def request(
        self,
        method: str,
        url: str,
        *,
        space: Optional[str],
        scope: Optional[CancelScope] = None,
        stream: bool = False,
        headers: Optional[Mapping[str, str]] = None,
        read_timeout: Optional[float] = None,
        **kwargs: Any,
    ) -> requests.Response:
        """Send one request and return its successful response.

        Args:
            method: the HTTP method.
            url: the full URL.
            space: the Space id the request is for (named in errors), or None for the hub.
            scope: the job's cancel scope; its deadline bounds the read timeout.
            stream: keep the body unread, to read with :meth:`iter_body` inside
                :meth:`streaming`, which closes the response. Only gzip and deflate are
                accepted for it (see :mod:`hfspace_sdk.decompress`).
            headers: extra headers.
            read_timeout: overrides the settings' read timeout.
            **kwargs: passed to ``requests`` (``json``, ``params``, ``files``, ``cookies``).

        Raises:
            SpaceConnectionError, SpaceTimeoutError, ResponseStatusError (and subclasses),
            JobCancelledError: as their names say.
        """
        timeouts = self.settings.timeout
        read = read_timeout if read_timeout is not None else timeouts.read
        if scope is not None:
            scope.check()
            read = scope.read_timeout(read)
        logger.debug("%s %s", method, url)
        if stream:
            headers = {"Accept-Encoding": ACCEPTED_ENCODINGS, **(headers or {})}
        session = self._lease()
        record = _InFlight()
        _in_flight.request = record
        abortable = scope.abortable(record.abort) if scope is not None else nullcontext()
        timeout = (timeouts.connect, read)
        try:
            try:
                with abortable:
                    response = self._send(
                        session, method, url, headers, timeout, stream, space, kwargs
                    )
            except HFSpaceError:
                raise
            except _TRANSPORT_ERRORS as exc:  # OSError: e.g. an unreadable REQUESTS_CA_BUNDLE
                raise self._map(exc, url, space, scope, read) from exc
        except BaseException:
            self._give_back(session)  # whatever went wrong, the session is free again
            raise
        finally:
            _in_flight.request = None
        if stream:
            with self._lock:
                self._streaming_sessions[id(response)] = session  # given back by streaming()
        else:
            self._give_back(session)
        return response

    def _send(
        self,
        session: requests.Session,
        method: str,
        url: str,
        headers: Optional[Mapping[str, str]],
        timeout: tuple[float, float],
        stream: bool,
        space: Optional[str],
        kwargs: dict[str, Any],
    ) -> requests.Response:
        """One request on a leased session: an error status raised, a non-stream body read."""
        response = session.request(
            method, url, headers=dict(headers or {}), timeout=timeout, stream=True, **kwargs
        )
        if stream and response.status_code < 400:
            return response
        try:
            if response.status_code >= 400:
                logger.debug("%s %s -> %s", method, url, response.status_code)
                raise _error_from_response(response, space)
            response.content  # noqa: B018 - read the body now, under the timeouts
        finally:
            response.close()
        return response

    @contextmanager
    def streaming(
        self, response: requests.Response, scope: Optional[CancelScope]
    ) -> Iterator[requests.Response]:
        """Own a streaming response: abort it if the job stops; close it and free its session."""
        try:
            if scope is None:
                yield response
            else:
                with scope.abortable(lambda: abort_response(response)):
                    yield response
        finally:
            response.close()
            with self._lock:
                session = self._streaming_sessions.pop(id(response), None)
            if session is not None:
                self._give_back(session)

    def iter_body(
        self,
        response: requests.Response,
        scope: Optional[CancelScope],
        *,
        chunk_size: Optional[int],
        space: Optional[str] = None,
    ) -> Iterator[bytes]:
        """The decoded body of a streaming response, in chunks of at most ``chunk_size`` bytes.

        ``chunk_size=None`` yields what arrives as it arrives (event streams). gzip and deflate
        are decoded here, one chunk at a time: a compressed body never holds more memory than
        a chunk and a read, whichever urllib3 is installed.

        Raises:
            ProtocolError: the body is cut, or is not in the coding its headers name.
            SpaceTimeoutError, SpaceConnectionError, JobCancelledError: from the connection.
        """
        encoding = response.headers.get("content-encoding")
        decoder = decoder_for(encoding)
        if decoder is None:
            raise ProtocolError(
                f"{_host(response.url)} sent a body in {encoding!r}; only {ACCEPTED_ENCODINGS}"
                " were accepted",
                space=space,
            )
        try:
            for data in response.raw.stream(chunk_size, decode_content=False):
                for chunk in decoder.decode(data, chunk_size):
                    if scope is not None:
                        scope.check()
                    yield chunk
            yield from decoder.decode(b"", chunk_size)
        except HFSpaceError:
            raise
        except Exception as exc:  # closed under us by a cancel: any error means the stop
            cancelled = scope is not None and scope.cancelled
            if not (cancelled or isinstance(exc, _TRANSPORT_ERRORS)):
                raise
            raise self._map(exc, response.url, space, scope, self.settings.timeout.read) from exc

    def _map(
        self,
        exc: BaseException,
        url: str,
        space: Optional[str],
        scope: Optional[CancelScope],
        read: float,
    ) -> Exception:
        connect = self.settings.timeout.connect
        return map_exception(exc, url, space=space, scope=scope, connect=connect, read=read)

    def close(self) -> None:
        """Close every session this client opened. Idempotent."""
        with self._lock:
            self._closed = True
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()


def map_exception(
    exc: BaseException,
    url: str,
    *,
    space: Optional[str],
    scope: Optional[CancelScope],
    connect: float,
    read: float,
) -> Exception:
    """The hfspace_sdk error for an exception from ``requests``, ``urllib3`` or a socket.

    A stopped ``scope`` comes first: whatever the connection saw, the job was cancelled (or
    ran out of time), and that is its error.

    Args:
        exc: what the request, or the read of its body, raised.
        url: the request's URL (its host is named in the message).
        space: the Space id the request was for, or None.
        scope: the job's cancel scope, if any.
        connect: the connect timeout in force, for the message.
        read: the read timeout in force, for the message.
    """
    if scope is not None and scope.cancelled:
        return scope.stop_error()
    host = _host(url)
    if isinstance(exc, (requests.ConnectTimeout, urllib3.exceptions.ConnectTimeoutError)):
        return SpaceTimeoutError(f"Connecting to {host} timed out after {connect:g} s", space=space)
    read_timeouts = (requests.ReadTimeout, urllib3.exceptions.ReadTimeoutError)
    if isinstance(exc, read_timeouts) or _wraps_read_timeout(exc):
        return SpaceTimeoutError(f"{host} sent nothing for {read:g} s", space=space)
    cut = (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError)
    if isinstance(exc, cut):
        return ProtocolError(
            f"The connection to {host} was cut in the middle of an answer", space=space
        )
    if isinstance(exc, zlib.error):
        return ProtocolError(
            f"{host} sent a body that its content-encoding does not decode", space=space
        )
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema)):
        return InvalidArgumentError(f"Invalid URL {url!r}", space=space)
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return ProtocolError(f"{host} redirected too many times", space=space)
    if isinstance(exc, (requests.exceptions.SSLError, urllib3.exceptions.SSLError)):
        return SpaceConnectionError(f"TLS verification with {host} failed", space=space)
    if isinstance(exc, requests.ConnectionError):
        return SpaceConnectionError(f"Could not connect to {host}: {_reason(exc)}", space=space)
    reason = getattr(exc, "strerror", None) or type(exc).__name__
    return SpaceConnectionError(f"Request to {host} failed: {reason}", space=space)


def _wraps_read_timeout(exc: BaseException) -> bool:
    """requests reports a read timeout while streaming as a ConnectionError around urllib3's."""
    return any(
        isinstance(arg, urllib3.exceptions.ReadTimeoutError) for arg in getattr(exc, "args", ())
    )


def _reason(exc: BaseException) -> str:
    text = str(exc)
    for marker in (
        "Connection refused",
        "Name or service not known",
        "Temporary failure in name resolution",
        "Connection reset",
        "Remote end closed connection",
        "No route to host",
    ):
        if marker.lower() in text.lower():
            return marker.lower()
    return type(exc).__name__
