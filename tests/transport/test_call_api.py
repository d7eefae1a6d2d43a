"""The /call/<api> protocol against recorded Gradio answers."""

from __future__ import annotations

import json

import pytest
import requests
import responses
from gradio_answers import BASE, CONFIG_4, CONFIG_6, call_stream, file_data

from hfspace_sdk.errors import (
    ProtocolError,
    QueueFullError,
    QuotaExceededError,
    RateLimitError,
    ResponseStatusError,
    SpaceConnectionError,
    SpaceError,
    SpaceTimeoutError,
)
from hfspace_sdk.gradio.call_api import CALL_API, ApiCall
from hfspace_sdk.gradio.messages import Completed, Generating, Heartbeat
from hfspace_sdk.gradio.protocol import run_job

EVENT = "6bc49f13d60344ec9ff10fe6b1f91e13"


def run_call(space, api_name, data, *, scope):
    return run_job(CALL_API, space, ApiCall(api_name, data), scope=scope)


def _serve(mocked, config, stream_body, *, prefix="/gradio_api"):
    mocked.get(f"{BASE}/config", json=config)
    mocked.post(f"{BASE}{prefix}/call/infer", json={"event_id": EVENT})
    mocked.get(
        f"{BASE}{prefix}/call/infer/{EVENT}", body=stream_body, content_type="text/event-stream"
    )
    mocked.post(f"{BASE}{prefix}/cancel", json={"success": True})


def test_call_posts_the_inputs_and_streams_the_result_on_gradio_6(mocked, space, scope):
    final = [file_data("http://x/file=final.webp"), 7]
    _serve(
        mocked,
        CONFIG_6,
        call_stream(("heartbeat", None), ("generating", final), ("complete", final)),
    )

    events = list(run_call(space, "infer", ["a cat", 0, True, 768, 768, 2], scope=scope))

    assert events == [Heartbeat(), Generating(data=final), Completed(data=final)]
    post = mocked.calls[1].request
    assert post.url == f"{BASE}/gradio_api/call/infer"
    assert json.loads(post.body) == {"data": ["a cat", 0, True, 768, 768, 2]}
    assert not any(call.request.url.endswith("/cancel") for call in mocked.calls)


def test_call_uses_the_root_prefix_on_gradio_4(mocked, space, scope):
    _serve(mocked, CONFIG_4, call_stream(("complete", ["ok"])), prefix="")
    assert list(run_call(space, "infer", [], scope=scope)) == [Completed(data=["ok"])]
    assert mocked.calls[1].request.url == f"{BASE}/call/infer"


def test_config_is_read_once_per_space(mocked, space, scope):
    _serve(mocked, CONFIG_6, call_stream(("complete", ["ok"])))
    list(run_call(space, "infer", [], scope=scope))
    mocked.get(f"{BASE}/gradio_api/call/infer/{EVENT}", body=call_stream(("complete", ["ok"])))
    list(run_call(space, "infer", [], scope=scope))
    assert sum(call.request.url == f"{BASE}/config" for call in mocked.calls) == 1


def test_error_text_from_gradio_6_reaches_the_caller(mocked, space, scope):
    _serve(
        mocked,
        CONFIG_6,
        call_stream(("error", {"error": "Prompt must not be empty", "title": "Error"})),
    )
    with pytest.raises(SpaceError, match="^Prompt must not be empty$") as caught:
        list(run_call(space, "infer", [], scope=scope))
    assert caught.value.space == "owner/space"
    assert caught.value.title == "Error"


def test_hidden_error_on_gradio_4_says_so(mocked, space, scope):
    _serve(mocked, CONFIG_4, call_stream(("error", None)), prefix="")
    with pytest.raises(SpaceError, match="hid its message.*Gradio before 6.0"):
        list(run_call(space, "infer", [], scope=scope))


def test_quota_error_becomes_quota_exceeded(mocked, space, scope):
    message = "You have exceeded your free ZeroGPU quota (60s requested vs. 12s left). Try again in 0:05:43."
    _serve(
        mocked,
        CONFIG_6,
        call_stream(("error", {"error": message, "title": "ZeroGPU quota exceeded"})),
    )
    with pytest.raises(QuotaExceededError) as caught:
        list(run_call(space, "infer", [], scope=scope))
    assert (caught.value.requested, caught.value.left, caught.value.retry_after) == (60, 12, 343)


def test_unknown_event_is_a_protocol_error(mocked, space, scope):
    _serve(mocked, CONFIG_6, call_stream(("error", "404: Not Found")))
    with pytest.raises(ProtocolError, match="404: Not Found"):
        list(run_call(space, "infer", [], scope=scope))


def test_stream_ending_without_result_is_an_error_and_cancels_the_event(mocked, space, scope):
    _serve(mocked, CONFIG_6, call_stream(("heartbeat", None), ("heartbeat", None)))
    with pytest.raises(ProtocolError, match="without a result"):
        list(run_call(space, "infer", [], scope=scope))
    stream_gets = [c for c in mocked.calls if c.request.url.endswith(f"/call/infer/{EVENT}")]
    assert len(stream_gets) == 1, "a /call event is never streamed twice"
    assert not [c for c in mocked.calls if c.request.url.endswith("/cancel")], "deferred: not yet"
    scope.run_deferred()  # what the job does once the caller has the error
    cancel = [c for c in mocked.calls if c.request.url.endswith("/gradio_api/cancel")]
    assert json.loads(cancel[0].request.body) == {
        "session_hash": EVENT,
        "fn_index": 2,
        "event_id": EVENT,
    }


def test_malformed_event_data_is_a_protocol_error(mocked, space, scope):
    _serve(mocked, CONFIG_6, "event: complete\ndata: [not json\n\n")
    with pytest.raises(ProtocolError, match="Malformed"):
        list(run_call(space, "infer", [], scope=scope))


def test_submission_without_event_id_is_a_protocol_error(mocked, space, scope):
    mocked.get(f"{BASE}/config", json=CONFIG_6)
    mocked.post(f"{BASE}/gradio_api/call/infer", json={"detail": "?"})
    with pytest.raises(ProtocolError, match="without an event id"):
        list(run_call(space, "infer", [], scope=scope))


@pytest.mark.parametrize(
    ("status", "body", "headers", "error", "text"),
    [
        (
            503,
            {"detail": "Queue is full. Max size is 1 and size is 1."},
            {},
            QueueFullError,
            "Queue is full",
        ),
        (
            429,
            {"error": "Too many requests"},
            {"Retry-After": "7"},
            RateLimitError,
            "Too many requests",
        ),
        (500, "Internal Server Error", {}, ResponseStatusError, "Internal Server Error"),
        (502, "<!DOCTYPE html><html>bad gateway</html>", {}, ResponseStatusError, "HTML content"),
    ],
)
def test_error_statuses_on_submission(mocked, space, scope, status, body, headers, error, text):
    mocked.get(f"{BASE}/config", json=CONFIG_6)
    kwargs = {"json": body} if isinstance(body, dict) else {"body": body}
    mocked.post(f"{BASE}/gradio_api/call/infer", status=status, headers=headers, **kwargs)
    with pytest.raises(error, match=text) as caught:
        list(run_call(space, "infer", [], scope=scope))
    assert caught.value.status_code == status
    assert caught.value.space == "owner/space"
    if headers:
        assert caught.value.retry_after == 7.0
    submissions = [c for c in mocked.calls if c.request.url.endswith("/call/infer")]
    assert len(submissions) == 1, "a submission is never retried"


def test_html_config_means_a_sleeping_space(mocked, space, scope):
    mocked.get(
        f"{BASE}/config", body="<!DOCTYPE html><title>Sleeping</title>", content_type="text/html"
    )
    with pytest.raises(ProtocolError, match="sleeping, building or not a Gradio app"):
        space.info(scope)


def test_config_is_retried_on_transient_failures(mocked, space, scope):
    mocked.get(f"{BASE}/config", status=503, body="starting")
    mocked.get(f"{BASE}/config", json=CONFIG_6)
    assert space.info(scope).api_prefix == "/gradio_api"
    assert len(mocked.calls) == 2


def test_connection_refused_is_a_connection_error(mocked, space, scope):
    mocked.get(f"{BASE}/config", body=requests.ConnectionError("[Errno 111] Connection refused"))
    with pytest.raises(SpaceConnectionError, match="connection refused"):
        space.info(scope)


def test_connect_timeout_is_a_timeout(mocked, space, scope):
    mocked.get(f"{BASE}/config", body=requests.ConnectTimeout("timed out"))
    with pytest.raises(SpaceTimeoutError, match="Connecting to space.test timed out"):
        space.info(scope)


def test_unsupported_protocol_is_reported(mocked, space, scope):
    mocked.get(f"{BASE}/config", json={"version": "3.50.2"})
    with pytest.raises(ProtocolError, match="queue protocol 'ws'"):
        space.info(scope)


@responses.activate
def test_cross_host_redirect_drops_credentials(space, scope):
    responses.get(f"{BASE}/config", json=CONFIG_6)
    responses.post(
        f"{BASE}/gradio_api/queue/join",
        status=307,
        headers={"Location": "http://elsewhere.test/gradio_api/queue/join"},
    )
    responses.post("http://elsewhere.test/gradio_api/queue/join", json={"event_id": "e"})
    from hfspace_sdk.gradio.queue_api import QUEUE, QueuedCall

    call = QueuedCall(
        fn_index=2,
        trigger_id=4,
        data=[],
        session_hash="s",
        headers={"x-zerogpu-token": "secret-token", "x-zerogpu-uuid": "u"},
    )
    QUEUE.submit(space, call, scope)

    first, second = responses.calls[1].request, responses.calls[2].request
    assert first.headers["x-zerogpu-token"] == "secret-token"
    assert second.url.startswith("http://elsewhere.test/")
    assert "x-zerogpu-token" not in second.headers
    assert "x-zerogpu-uuid" not in second.headers
