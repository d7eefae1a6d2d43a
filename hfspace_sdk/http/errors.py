"""What goes wrong on the wire, as hfspace_sdk errors: the one map of library exceptions,
error responses (credentials removed), and JSON bodies that are not JSON."""

from __future__ import annotations

import json
import zlib
from typing import Any, Optional
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from ..cancel import CancelScope
from ..errors import (
    HFSpaceError,
    InvalidArgumentError,
    ProtocolError,
    SpaceConnectionError,
    SpaceTimeoutError,
    error_for_status,
)
from .sessions import SECRET_HEADERS

__all__ = [
    "TRANSPORT_ERRORS",
    "error_from_response",
    "host_of",
    "is_lost_connection",
    "map_exception",
    "read_json",
]

#: What a request or the read of its body may raise, all mapped by :func:`map_exception`.
TRANSPORT_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError, zlib.error)
_ERROR_BODY_LIMIT = 64 * 1024


def host_of(url: str) -> str:
    return urlsplit(url).netloc or url


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
            f"{what} from {host_of(response.url)} was not JSON (content-type {content_type})",
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


def error_from_response(response: requests.Response, space: Optional[str]) -> HFSpaceError:
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
    host = host_of(url)
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


def is_lost_connection(error: BaseException) -> bool:
    """True for an error :func:`map_exception` made of a connection that failed under a request
    or its body (refused, reset, timed out, cut mid-body), as opposed to an answer the server
    sent (a status, a body that does not decode).

    A stopped job's error is not one: check the scope first.
    """
    if isinstance(error, (SpaceConnectionError, SpaceTimeoutError)):
        return True
    cut = (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError)
    return isinstance(error, ProtocolError) and isinstance(error.__cause__, cut)


def never_sent(error: BaseException) -> bool:
    """True when the request behind ``error`` never left: its connection did not open
    (refused, unknown host, connect timeout), so the server cannot have seen it."""
    cause: object = error.__cause__
    for _ in range(5):  # requests wraps urllib3's MaxRetryError, which holds the reason
        if isinstance(cause, (requests.ConnectTimeout, urllib3.exceptions.NewConnectionError)):
            return True
        if isinstance(cause, urllib3.exceptions.ConnectTimeoutError):
            return True
        reason = getattr(cause, "reason", None)
        args = getattr(cause, "args", ())
        cause = reason if isinstance(reason, BaseException) else (args[0] if args else None)
        if not isinstance(cause, BaseException):
            return False
    return False


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
