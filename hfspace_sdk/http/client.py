"""The HTTP client of one provider or client: leased sessions, timeouts, bounded bodies.

requests makes no thread-safety promise for a shared ``Session``, so each request leases a
session that no other request uses until it is given back (a streaming response keeps its lease
until it is closed); idle sessions keep their connections for reuse, and :meth:`HttpClient.close`
closes them all.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, Optional

import requests

from .._version import __version__
from ..cancel import CancelScope
from ..errors import HFSpaceError, ProtocolError
from .decompress import ACCEPTED_ENCODINGS, decoder_for
from .errors import TRANSPORT_ERRORS, error_from_response, host_of, map_exception
from .sessions import Adapter, InFlight, Session, abort_response, in_flight

if TYPE_CHECKING:
    from ..config import Settings

__all__ = ["USER_AGENT", "HttpClient"]

logger = logging.getLogger(__package__)  # "hfspace_sdk.http": the channel users filter on

USER_AGENT = f"hfspace-sdk/{__version__} (+https://pypi.org/project/hfspace-sdk/)"


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
        session = Session()
        adapter = Adapter(pool_connections=4, pool_maxsize=4)
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
        record = InFlight()
        in_flight.request = record
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
            except TRANSPORT_ERRORS as exc:  # OSError: e.g. an unreadable REQUESTS_CA_BUNDLE
                raise self._map(exc, url, space, scope, read) from exc
        except BaseException:
            self._give_back(session)  # whatever went wrong, the session is free again
            raise
        finally:
            in_flight.request = None
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
                raise error_from_response(response, space)
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
                f"{host_of(response.url)} sent a body in {encoding!r}; only {ACCEPTED_ENCODINGS}"
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
            if not (cancelled or isinstance(exc, TRANSPORT_ERRORS)):
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
