"""Reconnecting a dropped queue/data stream, against recorded answers (`responses`).

The wire-level drops (resets, cuts, silence) are in tests/faults/test_fault_reconnect.py; here
the order of events across a reconnect, and the errors, through the queue protocol's seam.
"""

from __future__ import annotations

import pytest
import requests
import urllib3
from gradio_answers import BASE, CONFIG_6, SPACE_ID, file_data, queue_stream

from hfspace_sdk.cancel import CancelScope
from hfspace_sdk.errors import (
    ProtocolError,
    ResponseStatusError,
    SpaceConnectionError,
    SpaceTimeoutError,
)
from hfspace_sdk.gradio.lost_stream import EventOrder, lost_stream_error
from hfspace_sdk.gradio.messages import Completed, Estimation, Generating, Heartbeat, Started
from hfspace_sdk.gradio.protocol import run_job
from hfspace_sdk.gradio.queue_api import QUEUE, QueuedCall
from hfspace_sdk.http import is_lost_connection

E = "15a384ba3f94456cb6839302bd61c985"
DATA = f"{BASE}/gradio_api/queue/data"
JOIN = f"{BASE}/gradio_api/queue/join"
CALL = QueuedCall(
    fn_index=2,
    trigger_id=4,
    data=["a red fox"],
    session_hash="k3v9x2m1q8p",
    stream_headers={"referer": "r"},
)
STARTS = [
    {"msg": "estimation", "event_id": E, "rank": 0, "queue_size": 1},
    {"msg": "process_starts", "event_id": E},
]
DONE = {
    "msg": "process_completed",
    "event_id": E,
    "output": {"data": [file_data("http://x/a.png"), 7]},
    "success": True,
}


def _serve(mocked, *streams):
    """/config, a join, and one queue/data answer per stream, in order."""
    mocked.get(f"{BASE}/config", json=CONFIG_6)
    mocked.post(JOIN, json={"event_id": E})
    for stream in streams:
        if isinstance(stream, BaseException):
            mocked.get(DATA, body=stream)
        else:
            mocked.get(DATA, body=queue_stream(*stream), content_type="text/event-stream")
    mocked.post(f"{BASE}/gradio_api/cancel", json={"success": True})


def _calls(mocked, url):
    return [c.request for c in mocked.calls if c.request.url.split("?")[0] == url]


def test_a_stream_that_ends_early_is_reconnected_with_the_same_session(mocked, space, scope):
    _serve(mocked, STARTS, [DONE])
    events = list(run_job(QUEUE, space, CALL, scope=scope))
    assert [type(e) for e in events] == [Estimation, Started, Completed]
    assert len(_calls(mocked, JOIN)) == 1
    first, second = _calls(mocked, DATA)
    assert first.url == second.url == f"{DATA}?session_hash=k3v9x2m1q8p"
    assert second.headers["referer"] == "r"
    assert second.headers["accept"] == "text/event-stream"


def test_events_repeated_by_a_relay_are_not_yielded_twice(mocked, space, scope):
    heartbeat = {"msg": "heartbeat"}
    _serve(mocked, STARTS, [*STARTS, heartbeat, DONE])
    events = list(run_job(QUEUE, space, CALL, scope=scope))
    assert [type(e) for e in events] == [Estimation, Started, Heartbeat, Completed]


def test_generator_diffs_go_on_across_a_reconnect(mocked, space, scope):
    full = {"msg": "process_generating", "event_id": E, "output": {"data": ["a"]}}
    diff = {"msg": "process_generating", "event_id": E, "output": {"data": [[["append", [], "b"]]]}}
    done = {"msg": "process_completed", "event_id": E, "output": {"data": ["ab"]}, "success": True}
    _serve(mocked, [*STARTS, full], [diff, done])
    events = list(run_job(QUEUE, space, CALL, scope=scope))
    assert [e.data for e in events if isinstance(e, Generating)] == [["a"], ["ab"]]


def test_close_stream_before_a_result_is_not_reconnected(mocked, space, scope):
    _serve(mocked, [*STARTS, {"msg": "close_stream", "event_id": None}], [DONE])
    with pytest.raises(ProtocolError, match="ended the event stream without a result"):
        list(run_job(QUEUE, space, CALL, scope=scope))
    assert len(_calls(mocked, DATA)) == 1


def test_a_reconnect_answered_with_an_error_status_gives_up(mocked, space, scope):
    _serve(mocked, STARTS)
    mocked.get(DATA, status=502)
    with pytest.raises(ProtocolError) as raised:
        list(run_job(QUEUE, space, CALL, scope=scope))
    assert str(raised.value) == (
        f"{SPACE_ID} accepted the job (event {E}), then its event stream was lost ({SPACE_ID} "
        f"ended the event stream without a result); reconnecting failed (Response 502 from "
        f"{SPACE_ID}: Bad Gateway); nothing was resubmitted"
    )
    assert raised.value.space == SPACE_ID
    assert len(_calls(mocked, JOIN)) == 1


def test_a_reset_keeps_its_class_when_reconnecting_fails(mocked, space, scope):
    reset = requests.ConnectionError("Connection reset by peer")
    gone = {"msg": "unexpected_error", "message": "404: Not Found", "session_not_found": True}
    _serve(mocked, reset, [gone])
    with pytest.raises(SpaceConnectionError) as raised:
        list(run_job(QUEUE, space, CALL, scope=scope))
    assert "lost (Could not connect to space.test: connection reset)" in str(raised.value)
    assert "reconnecting found the session gone (404: Not Found)" in str(raised.value)


def test_no_reconnect_when_the_deadline_is_too_close(mocked, space):
    _serve(mocked, STARTS, [DONE])
    with pytest.raises(ProtocolError, match="no time was left before the job's 0.3 s deadline"):
        list(run_job(QUEUE, space, CALL, scope=CancelScope(0.3)))
    assert len(_calls(mocked, DATA)) == 1


def test_a_first_stream_the_space_does_not_know_is_not_reconnected(mocked, space, scope):
    _serve(mocked, [{"msg": "unexpected_error", "message": "404: Not Found"}], [DONE])
    with pytest.raises(ProtocolError, match="could not stream the job: 404: Not Found"):
        list(run_job(QUEUE, space, CALL, scope=scope))
    assert len(_calls(mocked, DATA)) == 1


# --- the pure parts ----------------------------------------------------------------------------


def test_event_order_keeps_the_phases_moving_forward():
    order = EventOrder()
    seen = [Estimation(rank=1), Started(), Estimation(rank=0), Started(), Heartbeat()]
    assert [order.admit(event) for event in seen] == [True, True, False, False, True]


@pytest.mark.parametrize(
    ("lost", "kind"),
    [
        (SpaceTimeoutError("x sent nothing for 60 s"), SpaceTimeoutError),
        (SpaceConnectionError("Could not connect to x: connection reset"), SpaceConnectionError),
        (ProtocolError("The connection to x was cut in the middle of an answer"), ProtocolError),
    ],
)
def test_the_lost_stream_error_keeps_the_class_of_the_drop(lost, kind):
    error = lost_stream_error(lost, space_id="o/s", event_id="e1", how="it failed")
    assert type(error) is kind
    assert error.space == "o/s"
    assert str(error) == (
        f"o/s accepted the job (event e1), then its event stream was lost ({lost}); it failed; "
        "nothing was resubmitted"
    )


def _mapped(error, cause):
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "lost"),
    [
        (SpaceConnectionError("reset"), True),
        (SpaceTimeoutError("silent"), True),
        (_mapped(ProtocolError("cut"), requests.exceptions.ChunkedEncodingError()), True),
        (_mapped(ProtocolError("cut"), urllib3.exceptions.ProtocolError("broken")), True),
        (_mapped(ProtocolError("Malformed queue message"), ValueError()), False),
        (ProtocolError("ended the event stream without a result"), False),
        (ResponseStatusError("Response 502", status_code=502), False),
    ],
)
def test_which_errors_are_a_lost_connection(error, lost):
    assert is_lost_connection(error) is lost
