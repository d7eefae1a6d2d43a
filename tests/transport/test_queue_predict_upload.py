"""The queue protocol, the direct run/predict route and uploads, against recorded answers."""

from __future__ import annotations

import json

import pytest
from gradio_answers import BASE, CONFIG_4, CONFIG_6, file_data, queue_stream

from hfspace_sdk.errors import (
    JobCancelledError,
    ProtocolError,
    QuotaExceededError,
    ResponseStatusError,
    SpaceError,
)
from hfspace_sdk.gradio.files import upload_files
from hfspace_sdk.gradio.messages import (
    Completed,
    Estimation,
    Generating,
    Heartbeat,
    Log,
    Progress,
    ProgressUnit,
    Started,
)
from hfspace_sdk.gradio.predict_api import RUN_PREDICT
from hfspace_sdk.gradio.protocol import run_job
from hfspace_sdk.gradio.queue_api import QUEUE, QueuedCall
from hfspace_sdk.media import load_media

E = "15a384ba3f94456cb6839302bd61c985"
CALL = QueuedCall(
    fn_index=2,
    trigger_id=4,
    data=["a red fox", 0, True, 64, 48, 3.5, 2],
    session_hash="k3v9x2m1q8p",
)


def _serve_queue(mocked, *messages, config=CONFIG_6, prefix="/gradio_api"):
    mocked.get(f"{BASE}/config", json=config)
    mocked.post(f"{BASE}{prefix}/queue/join", json={"event_id": E})
    mocked.get(
        f"{BASE}{prefix}/queue/data", body=queue_stream(*messages), content_type="text/event-stream"
    )
    mocked.post(f"{BASE}{prefix}/cancel", json={"success": True})


def _run(space, scope):
    call = QueuedCall(
        fn_index=CALL.fn_index,
        trigger_id=CALL.trigger_id,
        data=CALL.data,
        session_hash=CALL.session_hash,
        headers={"x-zerogpu-token": "t"},
        stream_headers={"referer": "r"},
    )
    return list(run_job(QUEUE, space, call, scope=scope))


def predict(space, call, *, headers, scope):
    """The outputs of a run/predict call (what G4F's flux route does with the runner)."""
    direct = QueuedCall(
        fn_index=call.fn_index,
        trigger_id=call.trigger_id,
        data=call.data,
        session_hash=call.session_hash,
        headers=headers,
    )
    [completed] = run_job(RUN_PREDICT, space, direct, scope=scope)
    return completed.data


def test_queue_job_yields_progress_previews_and_the_result(mocked, space, scope):
    first = [file_data("http://x/file=p1.webp"), 0]
    diff = [
        [["replace", ["url"], "http://x/file=p2.webp"], ["replace", ["path"], "/tmp/p2.webp"]],
        [],
    ]
    final = [file_data("http://x/file=final.webp"), 42]
    _serve_queue(
        mocked,
        {"msg": "estimation", "event_id": E, "rank": 0, "queue_size": 1, "rank_eta": None},
        {"msg": "process_starts", "event_id": E, "eta": 1.5},
        {"msg": "log", "event_id": E, "log": "Using 1 GPU", "level": "info"},
        {
            "msg": "progress",
            "event_id": E,
            "progress_data": [{"index": 3, "length": 28, "desc": "Sampling"}],
        },
        {
            "msg": "process_generating",
            "event_id": E,
            "output": {"data": first, "is_generating": True},
            "success": True,
        },
        {"msg": "heartbeat", "event_id": None},
        {
            "msg": "process_generating",
            "event_id": E,
            "output": {"data": diff, "is_generating": True},
            "success": True,
        },
        {"msg": "process_completed", "event_id": E, "output": {"data": final}, "success": True},
        {"msg": "close_stream", "event_id": None},
    )

    events = _run(space, scope)

    preview_2 = [{**first[0], "url": "http://x/file=p2.webp", "path": "/tmp/p2.webp"}, 0]
    assert events == [
        Estimation(rank=0, queue_size=1, eta=None),
        Started(eta=1.5),
        Log(message="Using 1 GPU", level="info"),
        Progress(units=(ProgressUnit(index=3, length=28, desc="Sampling"),)),
        Generating(data=first),
        Heartbeat(),
        Generating(data=preview_2),
        Completed(data=final),
    ]
    join, stream = mocked.calls[1].request, mocked.calls[2].request
    assert join.url == f"{BASE}/gradio_api/queue/join?__theme=light"
    assert list(json.loads(join.body)) == [
        "data",
        "event_data",
        "fn_index",
        "trigger_id",
        "session_hash",
    ]
    assert json.loads(join.body)["fn_index"] == 2 and json.loads(join.body)["trigger_id"] == 4
    assert join.headers["x-zerogpu-token"] == "t"
    assert stream.url == f"{BASE}/gradio_api/queue/data?session_hash=k3v9x2m1q8p"
    assert "x-zerogpu-token" not in stream.headers
    assert stream.headers["accept"] == "text/event-stream"


def test_queue_on_gradio_4_uses_root_routes(mocked, space, scope):
    _serve_queue(
        mocked,
        {"msg": "process_completed", "event_id": E, "output": {"data": ["done"]}, "success": True},
        config=CONFIG_4,
        prefix="",
    )
    assert _run(space, scope) == [Completed(data=["done"])]
    assert mocked.calls[1].request.url == f"{BASE}/queue/join?__theme=light"


def test_messages_of_other_jobs_in_the_session_are_ignored(mocked, space, scope):
    _serve_queue(
        mocked,
        {
            "msg": "process_completed",
            "event_id": "other",
            "output": {"data": ["not ours"]},
            "success": True,
        },
        {"msg": "process_completed", "event_id": E, "output": {"data": ["ours"]}, "success": True},
    )
    assert _run(space, scope) == [Completed(data=["ours"])]


@pytest.mark.parametrize(
    ("output", "error", "text"),
    [
        (
            {"error": "'Prompt must not be empty'"},
            SpaceError,
            "^Prompt must not be empty$",
        ),  # 4.x quoting
        ({"error": None, "title": "Error"}, SpaceError, "hid its message"),
        (
            {
                "error": "You have exceeded your GPU quota (60s requested vs. 30s left). <a href='x'>Sign up</a>"
            },
            QuotaExceededError,
            r"^You have exceeded your GPU quota \(60s requested vs. 30s left\).$",
        ),
    ],
)
def test_failed_job_raises_the_space_error(mocked, space, scope, output, error, text):
    _serve_queue(
        mocked, {"msg": "process_completed", "event_id": E, "output": output, "success": False}
    )
    with pytest.raises(error, match=text):
        _run(space, scope)


def test_server_side_cancel_is_reported(mocked, space, scope):
    _serve_queue(mocked, {"msg": "process_completed", "event_id": E, "output": {}, "success": True})
    with pytest.raises(JobCancelledError, match="Space cancelled"):
        _run(space, scope)


def test_unknown_session_is_a_protocol_error(mocked, space, scope):
    _serve_queue(
        mocked,
        {
            "msg": "unexpected_error",
            "event_id": None,
            "message": "404: Not Found",
            "session_not_found": True,
        },
    )
    with pytest.raises(ProtocolError, match="404: Not Found"):
        _run(space, scope)


def test_stream_closed_before_the_result_is_an_error_and_the_job_is_cancelled(mocked, space, scope):
    _serve_queue(
        mocked,
        {"msg": "estimation", "event_id": E, "rank": 0, "queue_size": 1},
        {"msg": "close_stream", "event_id": None},
    )
    with pytest.raises(ProtocolError, match="without a result"):
        _run(space, scope)
    scope.run_deferred()  # what the job does once the caller has the error
    cancel = [c for c in mocked.calls if c.request.url.endswith("/cancel")]
    assert json.loads(cancel[0].request.body) == {
        "session_hash": "k3v9x2m1q8p",
        "fn_index": 2,
        "event_id": E,
    }


def test_malformed_queue_message_is_a_protocol_error(mocked, space, scope):
    mocked.get(f"{BASE}/config", json=CONFIG_6)
    mocked.post(f"{BASE}/gradio_api/queue/join", json={"event_id": E})
    mocked.get(f"{BASE}/gradio_api/queue/data", body='data: {"no_msg": 1}\n\n')
    with pytest.raises(ProtocolError, match="Malformed queue message"):
        _run(space, scope)


def test_predict_returns_the_outputs(mocked, space, scope):
    mocked.get(f"{BASE}/config", json=CONFIG_4)
    mocked.post(
        f"{BASE}/run/predict",
        json={"data": [file_data("http://x/file=g.webp"), 5, "Latency: 1.01 seconds"]},
    )
    call = QueuedCall(
        fn_index=3, trigger_id=10, data=["p", 5, 1000, 776, True, 1], session_hash="aypz0cs3lb"
    )

    data = predict(space, call, headers={"x-zerogpu-token": "t"}, scope=scope)

    assert data[1] == 5
    body = mocked.calls[1].request.body
    assert list(json.loads(body)) == [
        "data",
        "event_data",
        "fn_index",
        "session_hash",
        "trigger_id",
    ]
    assert json.loads(body)["data"] == ["p", 5, 1000, 776, True, 1]


@pytest.mark.parametrize(
    ("answer", "error", "text"),
    [
        ({"error": "The look-alike failed", "title": "Error"}, SpaceError, "The look-alike failed"),
        ({"error": None}, SpaceError, "hid its message"),
        (
            {"error": "You have exceeded your GPU quota (60s requested vs. 56s left)."},
            QuotaExceededError,
            "quota",
        ),
    ],
)
def test_predict_errors_are_space_errors(mocked, space, scope, answer, error, text):
    mocked.get(f"{BASE}/config", json=CONFIG_6)
    mocked.post(f"{BASE}/gradio_api/run/predict", status=500, json=answer)
    with pytest.raises(error, match=text):
        predict(space, CALL, headers={}, scope=scope)


def test_predict_on_a_closed_api_is_a_status_error(mocked, space, scope):
    detail = "This API endpoint does not accept direct HTTP POST requests. Please join the queue to use this API."
    mocked.get(f"{BASE}/config", json=CONFIG_6)
    mocked.post(f"{BASE}/gradio_api/run/predict", status=404, json={"detail": detail})
    with pytest.raises(ResponseStatusError, match="does not accept direct HTTP POST") as caught:
        predict(space, CALL, headers={}, scope=scope)
    assert caught.value.status_code == 404


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_upload_sends_multipart_files_and_builds_file_data(mocked, space, scope):
    mocked.get(f"{BASE}/config", json=CONFIG_6)
    mocked.post(f"{BASE}/gradio_api/upload", json=["/tmp/gradio/abc/photo.png"])
    media = load_media(PNG, "photo.png")

    [data] = upload_files(space, [media], upload_id="sess", scope=scope)

    assert data == {
        "path": "/tmp/gradio/abc/photo.png",
        "url": f"{BASE}/gradio_api/file=/tmp/gradio/abc/photo.png",
        "orig_name": "photo.png",
        "size": len(PNG),
        "mime_type": "image/png",
        "meta": {"_type": "gradio.FileData"},
    }
    request = mocked.calls[1].request
    assert request.url == f"{BASE}/gradio_api/upload?upload_id=sess"
    assert b'name="files"; filename="photo.png"' in request.body
    assert PNG in request.body


def test_upload_answer_of_the_wrong_shape_is_a_protocol_error(mocked, space, scope):
    mocked.get(f"{BASE}/config", json=CONFIG_6)
    mocked.post(f"{BASE}/gradio_api/upload", json={"detail": "no"})
    with pytest.raises(ProtocolError, match="answered the upload"):
        upload_files(space, [load_media(PNG)], upload_id="s", scope=scope)
