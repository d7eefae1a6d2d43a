"""The exception tree and the pure functions that choose an exception class."""

from __future__ import annotations

import pytest

from hfspace_sdk.errors import (
    HIDDEN_ERROR_MESSAGE,
    AllProvidersFailedError,
    HFSpaceError,
    InvalidArgumentError,
    JobCancelledError,
    MissingAuthError,
    ModelNotFoundError,
    ModelNotSupportedError,
    ProtocolError,
    QueueFullError,
    QuotaExceededError,
    RateLimitError,
    ResponseError,
    ResponseStatusError,
    SpaceConnectionError,
    SpaceError,
    SpaceTimeoutError,
    clean_message,
    error_for_status,
    parse_quota_message,
    parse_retry_after,
    space_error,
)

QUOTA_REQUESTED_FIRST = "You have exceeded your GPU quota (60s requested vs. 56s left)."
QUOTA_LEFT_FIRST = (
    "You have exceeded your GPU quota (46s left vs. 60s requested). Please retry in 0:09:48."
)
QUOTA_FREE = (
    "You have exceeded your free ZeroGPU quota (60s requested vs. 12s left). Try again in 0:05:43."
)
SIGN_UP_TAIL = (
    ' <a style="white-space: nowrap;text-underline-offset: 2px;color: var(--body-text-color)"'
    ' href="https://huggingface.co/join">Sign up</a> to get more quota.'
)


# --- hierarchy ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        (ResponseStatusError, ResponseError),
        (RateLimitError, ResponseStatusError),
        (MissingAuthError, ResponseStatusError),
        (QueueFullError, ResponseStatusError),
        (SpaceError, ResponseError),
        (QuotaExceededError, SpaceError),
        (ProtocolError, ResponseError),
        (SpaceTimeoutError, TimeoutError),
        (SpaceConnectionError, ConnectionError),
        (InvalidArgumentError, ValueError),
        (ModelNotSupportedError, InvalidArgumentError),
        (ModelNotFoundError, ModelNotSupportedError),
        (AllProvidersFailedError, ResponseError),
    ],
)
def test_class_hierarchy(child, parent):
    assert issubclass(child, parent)


@pytest.mark.parametrize(
    "kind",
    [
        InvalidArgumentError,
        ModelNotFoundError,
        ResponseError,
        ResponseStatusError,
        RateLimitError,
        MissingAuthError,
        QueueFullError,
        SpaceError,
        QuotaExceededError,
        ProtocolError,
        SpaceTimeoutError,
        SpaceConnectionError,
        JobCancelledError,
        AllProvidersFailedError,
    ],
)
def test_every_error_is_an_hfspace_error(kind):
    assert issubclass(kind, HFSpaceError)


def test_error_str_is_its_message_and_space_is_kept():
    error = SpaceError("boom", space="owner/name", title="Error")
    assert str(error) == "boom"
    assert (error.message, error.space, error.title) == ("boom", "owner/name", "Error")


def test_all_providers_failed_names_every_failure():
    error = AllProvidersFailedError("flux", {"A": SpaceError("a failed"), "B": ValueError("b")})
    assert str(error) == "All providers failed for model 'flux': A: a failed; B: b"
    assert list(error.errors) == ["A", "B"]


# --- parse_quota_message --------------------------------------------------------------------


def test_quota_requested_first_wording():
    info = parse_quota_message(QUOTA_REQUESTED_FIRST)
    assert (info.requested, info.left, info.retry_after) == (60, 56, None)


def test_quota_left_first_wording_with_retry():
    info = parse_quota_message(QUOTA_LEFT_FIRST)
    assert (info.requested, info.left, info.retry_after) == (60, 46, 9 * 60 + 48)


def test_quota_free_zerogpu_wording_with_try_again():
    info = parse_quota_message(QUOTA_FREE)
    assert (info.requested, info.left, info.retry_after) == (60, 12, 5 * 60 + 43)


def test_quota_message_with_html_sign_up_tail():
    info = parse_quota_message(QUOTA_REQUESTED_FIRST + SIGN_UP_TAIL)
    assert (info.requested, info.left, info.retry_after) == (60, 56, None)


def test_quota_retry_with_hours():
    info = parse_quota_message(QUOTA_REQUESTED_FIRST + " Try again in 1:02:03.")
    assert info.retry_after == 3723


def test_quota_message_without_numbers_still_recognised():
    info = parse_quota_message("You have exceeded your GPU quota.")
    assert (info.requested, info.left, info.retry_after) == (None, None, None)


@pytest.mark.parametrize(
    "text",
    ["", "Prompt must not be empty", "CUDA out of memory", "No GPU was available after 60s."],
)
def test_non_quota_text_is_none(text):
    assert parse_quota_message(text) is None


# --- clean_message --------------------------------------------------------------------------


def test_clean_message_removes_repr_quotes_and_html():
    assert clean_message("'Prompt must not be empty'") == "Prompt must not be empty"
    assert clean_message('"It\'s broken"') == "It's broken"
    assert clean_message("<b>bold</b> &amp; more") == "bold & more"
    assert clean_message("text" + SIGN_UP_TAIL) == "text"


# --- space_error ----------------------------------------------------------------------------


@pytest.mark.parametrize("message", [None, ""])
def test_space_error_without_message_says_the_error_was_hidden(message):
    error = space_error(message, space="o/n", title="Error")
    assert type(error) is SpaceError
    assert error.message == HIDDEN_ERROR_MESSAGE
    assert "hid its message" in str(error)
    assert (error.space, error.title) == ("o/n", "Error")


def test_space_error_quota_is_typed_with_fields():
    error = space_error(QUOTA_FREE, space="o/n", title="ZeroGPU quota exceeded")
    assert isinstance(error, QuotaExceededError)
    assert (error.requested, error.left, error.retry_after) == (60, 12, 343)
    assert error.title == "ZeroGPU quota exceeded"
    assert error.space == "o/n"
    assert str(error) == QUOTA_FREE


def test_space_error_quota_strips_html():
    error = space_error(QUOTA_LEFT_FIRST + SIGN_UP_TAIL)
    assert isinstance(error, QuotaExceededError)
    assert str(error) == QUOTA_LEFT_FIRST
    assert "<a" not in str(error)


def test_space_error_unquotes_gradio_4_repr():
    error = space_error("'Prompt must not be empty'")
    assert type(error) is SpaceError
    assert str(error) == "Prompt must not be empty"


def test_space_error_repr_quoted_quota_on_gradio_4():
    error = space_error(f"'{QUOTA_REQUESTED_FIRST}'")
    assert isinstance(error, QuotaExceededError)
    assert (error.requested, error.left) == (60, 56)


# --- parse_retry_after ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("30", 30.0), (" 1.5 ", 1.5), (None, None), ("-1", None), ("Wed, 21 Oct 2015", None)],
)
def test_parse_retry_after(header, seconds):
    assert parse_retry_after(header) == seconds


# --- error_for_status -----------------------------------------------------------------------


def test_429_is_rate_limit_with_retry_after():
    error = error_for_status(429, retry_after="30", url="https://x.hf.space/call/infer")
    assert type(error) is RateLimitError
    assert error.retry_after == 30.0
    assert error.status_code == 429
    assert str(error) == "Response 429: Too Many Requests"


@pytest.mark.parametrize("status", [401, 403])
def test_401_and_403_are_missing_auth(status):
    error = error_for_status(status, content_type="application/json", body={"error": "Nope"})
    assert type(error) is MissingAuthError
    assert str(error) == f"Response {status}: Nope"


def test_503_queue_full_is_queue_full_error():
    body = {"detail": "Queue is full. Max size is 1 and size is 1."}
    error = error_for_status(503, content_type="application/json", body=body, space="o/n")
    assert type(error) is QueueFullError
    assert str(error) == "Response 503 from o/n: Queue is full. Max size is 1 and size is 1."


def test_plain_503_is_a_status_error():
    error = error_for_status(503, content_type="text/plain", body="Service Unavailable")
    assert type(error) is ResponseStatusError


def test_500_html_body_says_html_content():
    error = error_for_status(
        500, content_type="text/html; charset=utf-8", body="<html><body>Oops</body></html>"
    )
    assert type(error) is ResponseStatusError
    assert str(error) == "Response 500: HTML content"


def test_doctype_body_is_html_whatever_the_content_type():
    error = error_for_status(502, content_type="text/plain", body="<!DOCTYPE html><html></html>")
    assert str(error) == "Response 502: HTML content"


GRADIO5_TRACEBACK = """Traceback (most recent call last):
  File "/venv/lib/python3.11/site-packages/starlette/middleware/errors.py", line 164, in __call__
    await self.app(scope, receive, _send)
  File "/venv/lib/python3.11/site-packages/gradio/route_utils.py", line 257, in get_fn
    raise FnIndexInferError(
gradio.route_utils.FnIndexInferError: Could not infer function index for API name: false
"""


def test_500_traceback_body_says_only_its_exception_line():
    """Gradio 5's 500 bodies are whole tracebacks (text/plain): only the last line is kept."""
    error = error_for_status(500, content_type="text/plain; charset=utf-8", body=GRADIO5_TRACEBACK)
    assert type(error) is ResponseStatusError
    assert str(error) == (
        "Response 500: gradio.route_utils.FnIndexInferError:"
        " Could not infer function index for API name: false"
    )
    assert error.body == GRADIO5_TRACEBACK


@pytest.mark.parametrize(
    "body",
    [
        "Traceback (most recent call last):\n",  # cut short: nothing but the header
        'Traceback (most recent call last):\n  File "/app.py", line 3, in f\n    g()',  # cut short
    ],
)
def test_cut_traceback_body_is_kept_whole(body):
    assert str(error_for_status(500, content_type="text/plain", body=body)) == (
        f"Response 500: {' '.join(body.split())}"
    )


def test_json_error_field_is_the_message_without_sign_up_link():
    body = {"error": "GPU task aborted" + SIGN_UP_TAIL}
    error = error_for_status(500, content_type="application/json", body=body)
    assert str(error) == "Response 500: GPU task aborted"


def test_json_nested_error_message_is_used():
    body = {"error": {"message": "Invalid token"}}
    assert str(error_for_status(400, body=body)) == "Response 400: Invalid token"


def test_hidden_json_error_falls_back_to_reason():
    error = error_for_status(500, content_type="application/json", body={"error": None})
    assert str(error) == "Response 500: Internal Server Error"


def test_a_status_without_body_says_its_reason_phrase_or_error():
    assert str(error_for_status(418)) == "Response 418: I'm a Teapot"
    assert str(error_for_status(599)) == "Response 599: error"


def test_text_body_is_used_as_message():
    error = error_for_status(500, content_type="text/plain", body="Internal Server Error")
    assert str(error) == "Response 500: Internal Server Error"


def test_status_error_carries_request_facts():
    body = {"detail": "Not Found"}
    marker = object()
    error = error_for_status(
        404,
        content_type="application/json",
        body=body,
        url="https://o-n.hf.space/gradio_api/call/infer",
        space="o/n",
        response=marker,
    )
    assert error.status_code == 404
    assert error.url == "https://o-n.hf.space/gradio_api/call/infer"
    assert error.space == "o/n"
    assert error.body == body
    assert error.response is marker
    assert error.retry_after is None
    assert str(error) == "Response 404 from o/n: Not Found"
