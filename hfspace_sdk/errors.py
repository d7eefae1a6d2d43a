"""The exception tree of hfspace_sdk, and the pure functions that choose an exception class.

Every error the SDK raises derives from :class:`HFSpaceError`. g4f's names are kept as
subclasses so ported ``except`` clauses still work; errors that belong to a builtin category
also inherit it (a bad argument is a ``ValueError``, a timeout a ``TimeoutError``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

# The text of the Space's messages has a module of its own; its parser stays importable here.
from .error_text import clean_message, parse_quota_message

__all__ = [
    "AllProvidersFailedError",
    "AllReplicasFailedError",
    "HFSpaceError",
    "InvalidArgumentError",
    "JobCancelledError",
    "MissingAuthError",
    "ModelNotFoundError",
    "ModelNotSupportedError",
    "ProtocolError",
    "QueueFullError",
    "QuotaExceededError",
    "RateLimitError",
    "ResponseError",
    "ResponseStatusError",
    "SpaceConnectionError",
    "SpaceError",
    "SpaceNotRunningError",
    "SpaceSchemaError",
    "SpaceTimeoutError",
    "error_for_status",
    "parse_quota_message",
    "space_error",
]


class HFSpaceError(Exception):
    """Root of every error raised by hfspace_sdk.

    Attributes:
        space: the Space id the failing request was meant for, when known.
    """

    def __init__(self, message: str, *, space: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.space = space

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # The constructors take keyword-only arguments: rebuild from the attributes instead.
        # A response object (connection state, headers) is not pickled.
        state = {key: None if key == "response" else value for key, value in self.__dict__.items()}
        return (_rebuild_error, (type(self), self.message, state))


def _rebuild_error(kind: type[HFSpaceError], message: str, state: dict[str, Any]) -> HFSpaceError:
    error = kind.__new__(kind)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class InvalidArgumentError(HFSpaceError, ValueError):
    """An argument was rejected before any request was sent."""


class ModelNotSupportedError(InvalidArgumentError):
    """The provider does not serve the requested model (g4f name)."""


class ModelNotFoundError(ModelNotSupportedError):
    """The requested model does not exist for this provider (g4f name)."""


class ResponseError(HFSpaceError):
    """The Space answered, but not with a result (g4f name)."""


class ResponseStatusError(ResponseError):
    """An HTTP request answered with an error status.

    Attributes:
        status_code: the HTTP status.
        url: the URL that was requested.
        response: the ``requests.Response``, when there was one (its body already read).
        body: the decoded JSON body, or the start of the text body.
        retry_after: the ``Retry-After`` delay in seconds, when the server sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        url: Optional[str] = None,
        space: Optional[str] = None,
        response: Any = None,
        retry_after: Optional[float] = None,
        body: Any = None,
    ) -> None:
        super().__init__(message, space=space)
        self.status_code = status_code
        self.body = body
        self.url = url
        self.response = response
        self.retry_after = retry_after


class RateLimitError(ResponseStatusError):
    """HTTP 429: too many requests. ``retry_after`` holds the server's hint in seconds."""


class MissingAuthError(ResponseStatusError):
    """HTTP 401/403: the request needs (other) credentials."""


class QueueFullError(ResponseStatusError):
    """The Space's Gradio queue refused the job because it is full."""


class SpaceError(ResponseError):
    """The Space ran the job and reported a failure.

    Attributes:
        title: the title Gradio gave the error (5.x and later), if any.
    """

    def __init__(
        self, message: str, *, space: Optional[str] = None, title: Optional[str] = None
    ) -> None:
        super().__init__(message, space=space)
        self.title = title


class QuotaExceededError(SpaceError):
    """The Space's ZeroGPU quota for this caller is used up.

    Attributes:
        requested: GPU seconds the job asked for, if the message said.
        left: GPU seconds left in the quota, if the message said.
        retry_after: seconds until the quota allows the job again, if the message said.
    """

    def __init__(
        self,
        message: str,
        *,
        space: Optional[str] = None,
        title: Optional[str] = None,
        requested: Optional[int] = None,
        left: Optional[int] = None,
        retry_after: Optional[int] = None,
    ) -> None:
        super().__init__(message, space=space, title=title)
        self.requested = requested
        self.left = left
        self.retry_after = retry_after


class ProtocolError(ResponseError):
    """The server's answer does not follow the Gradio protocol (malformed or cut short)."""


class SpaceSchemaError(ProtocolError):
    """The Space no longer has the endpoint a call needs, or it takes other inputs.

    Raised before anything is submitted: a Space edited by its owner is never called blindly.

    Attributes:
        endpoint: the endpoint's api name, with its slash (``"/infer"``).
    """

    def __init__(self, message: str, *, space: Optional[str] = None, endpoint: str) -> None:
        super().__init__(message, space=space)
        self.endpoint = endpoint


class SpaceTimeoutError(HFSpaceError, TimeoutError):
    """A connect, read or overall job deadline passed."""


class SpaceConnectionError(HFSpaceError, ConnectionError):
    """The Space or the hub could not be reached (refused, DNS failure, TLS failure, reset)."""


class SpaceNotRunningError(HFSpaceError):
    """The hub says the Space cannot run jobs now: paused, failed to build, crashed, deleted.

    Raised at once (waiting would not help); the message says what the user can do.

    Attributes:
        stage: the Space's stage as the hub names it (``"PAUSED"``, ``"RUNTIME_ERROR"``, ...).
    """

    def __init__(self, message: str, *, space: Optional[str] = None, stage: str) -> None:
        super().__init__(message, space=space)
        self.stage = stage


class JobCancelledError(HFSpaceError):
    """The job was cancelled before it produced its result."""


class AllProvidersFailedError(ResponseError):
    """Every provider able to serve the model failed.

    Attributes:
        errors: provider name → the error it raised, in the order they were tried.
    """

    def __init__(self, model: str, errors: Mapping[str, BaseException]) -> None:
        details = "; ".join(f"{name}: {error}" for name, error in errors.items())
        super().__init__(f"All providers failed for model {model!r}: {details}")
        self.errors = dict(errors)


class AllReplicasFailedError(ResponseError):
    """Every replica of a Space failed a job before accepting it (see ``space_urls``).

    Attributes:
        errors: replica base URL → the error it gave, in the order they were tried.
    """

    def __init__(self, space: str, errors: Mapping[str, BaseException]) -> None:
        details = "; ".join(f"{url}: {error}" for url, error in errors.items())
        super().__init__(f"Every replica of {space} failed: {details}", space=space)
        self.errors = dict(errors)


# --- choosing the class: pure functions over plain data ---------------------------------

HIDDEN_ERROR_MESSAGE = (
    "The Space reported an error but hid its message "
    "(Gradio only shows the text of errors raised as gr.Error)"
)


def space_error(
    message: Optional[str], *, space: Optional[str] = None, title: Optional[str] = None
) -> SpaceError:
    """Build the error for a failure the Space reported while running a job."""
    text = clean_message(message or "")
    if not text:
        return SpaceError(HIDDEN_ERROR_MESSAGE, space=space, title=title)
    quota = parse_quota_message(text)
    if quota is not None:
        return QuotaExceededError(
            text,
            space=space,
            title=title,
            requested=quota.requested,
            left=quota.left,
            retry_after=quota.retry_after,
        )
    return SpaceError(text, space=space, title=title)


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds from a ``Retry-After`` header given in seconds; ``None`` otherwise."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if 0 <= seconds < float("inf") else None


def _traceback_summary(text: str) -> Optional[str]:
    """The exception line of a Python traceback, else None.

    Gradio 5 answers a server error (such as ``/call/<name>`` for a name it does not have) with
    the whole traceback as its text/plain 500 body; the last unindented line says what failed,
    the rest only shows the Space's source paths.
    """
    if not text.startswith("Traceback (most recent call last):"):
        return None
    last = text.rstrip().splitlines()[-1]
    return last if last[:1].strip() and not last.startswith("Traceback") else None


def _message_from_body(content_type: str, body: Any) -> Optional[str]:
    if isinstance(body, Mapping):
        for key in ("error", "detail", "message"):
            value = body.get(key)
            if isinstance(value, Mapping):
                value = value.get("message")
            if isinstance(value, str) and value.strip():
                return clean_message(value)
        return None
    if isinstance(body, str):
        text = body.strip()
        if content_type.startswith("text/html") or text.lower().startswith(("<!doctype", "<html")):
            return "HTML content"
        text = _traceback_summary(text) or text
        return clean_message(text)[:500] or None
    return None


def error_for_status(
    status_code: int,
    *,
    content_type: str = "",
    body: Any = None,
    url: Optional[str] = None,
    space: Optional[str] = None,
    retry_after: Optional[str] = None,
    response: Any = None,
) -> ResponseStatusError:
    """The one place that turns an HTTP error status into an exception.

    Args:
        status_code: the HTTP status (>= 400).
        content_type: the response's content type.
        body: the decoded JSON body, or the text body.
        url: the request URL (without secrets: the SDK never puts them in URLs).
        space: the Space id the request was meant for.
        retry_after: the raw ``Retry-After`` header.
        response: the response object, kept on the error for callers who need it.
    """
    detail = _message_from_body(content_type, body)
    kind: type[ResponseStatusError] = ResponseStatusError
    if status_code == 429:
        kind = RateLimitError
    elif status_code in (401, 403):
        kind = MissingAuthError
    elif status_code == 503 and detail and "queue is full" in detail.lower():
        kind = QueueFullError
    where = f" from {space}" if space else ""
    message = f"Response {status_code}{where}: {detail or _reason_phrase(status_code)}"
    return kind(
        message,
        status_code=status_code,
        url=url,
        space=space,
        response=response,
        retry_after=parse_retry_after(retry_after),
        body=body,
    )


def _reason_phrase(status_code: int) -> str:
    """The standard reason phrase of an HTTP status ("Service Unavailable"), else "error"."""
    from http import HTTPStatus  # already loaded by requests

    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "error"
