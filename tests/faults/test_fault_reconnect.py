"""Dropped queue streams: the SDK reconnects to ``queue/data`` with the same session hash.

What a drop looks like on the wire is scripted here (a reset, silence, a cut, the server's
``unexpected_error``); that a real Gradio answers a reconnect with ``unexpected_error`` is held
by tests/lookalike/test_lookalike_reconnect.py. Every test checks, through its scenario, that
the job was joined once.
"""

from __future__ import annotations

import threading

from fault_calls import PREFIX, PROMPT, flux_dev
from fault_case import Case
from fault_server import Connection, FaultServer, Handler, Request, message, sequence

from hfspace_sdk import Client

QUEUE_DATA = f"{PREFIX}/queue/data"
WAIT = 5.0  # the longest a test waits for the server to see a request


def _first_events(server: FaultServer, conn: Connection, request: Request) -> None:
    event_id = server.joined(request).get("event_id")
    conn.start_stream()
    conn.chunk(message({"msg": "estimation", "event_id": event_id, "rank": 0, "queue_size": 1}))
    conn.chunk(message({"msg": "process_starts", "event_id": event_id, "eta": None}))


def _then(server: FaultServer, end: str) -> Handler:
    """The job's first events, then ``end``: ``reset``, ``cut``."""

    def handle(conn: Connection, request: Request) -> None:
        _first_events(server, conn, request)
        if end == "reset":
            conn.reset()
        else:
            conn.cut()

    return handle


def _rest(server: FaultServer) -> Handler:
    """What a relay still holds for the session: the result, then ``close_stream``."""

    def handle(conn: Connection, request: Request) -> None:
        event_id = server.joined(request).get("event_id")
        output = {"data": server.queue_output(request), "is_generating": False}
        conn.start_stream()
        conn.chunk(
            message(
                {
                    "msg": "process_completed",
                    "event_id": event_id,
                    "output": output,
                    "success": True,
                }
            )
        )
        conn.chunk(message({"msg": "close_stream", "event_id": None}))
        conn.end_stream()

    return handle


def _session_gone(conn: Connection, request: Request) -> None:
    conn.start_stream()
    conn.chunk(
        message(
            {
                "msg": "unexpected_error",
                "event_id": None,
                "message": "404: Not Found",
                "session_not_found": True,
                "success": False,
            }
        )
    )
    conn.cut()


def _sessions(server: FaultServer) -> list[str]:
    return [r.query["session_hash"] for r in server.requests if r.path == QUEUE_DATA]


def _joined_session(server: FaultServer) -> str:
    [join] = [r for r in server.requests if r.path == f"{PREFIX}/queue/join"]
    session: str = join.json()["session_hash"]
    return session


def test_a_reset_stream_is_recovered_by_a_reconnect(case: Case, server: FaultServer) -> None:
    case.start("reconnect-reset-recovers")
    server.route("GET", QUEUE_DATA, sequence(_then(server, "reset"), _rest(server)))
    with Client(**case.options()) as client:
        result = case.result(lambda: flux_dev(client))
    assert result.data[0].url.endswith("/image.png")
    assert _sessions(server) == [_joined_session(server)] * 2
    first, second = [r for r in server.requests if r.path == QUEUE_DATA]
    assert second.headers.get("accept") == first.headers.get("accept") == "text/event-stream"


def test_a_silent_stream_is_recovered_by_a_reconnect(case: Case, server: FaultServer) -> None:
    case.start("reconnect-silent-recovers")

    def silent(conn: Connection, request: Request) -> None:
        conn.start_stream()
        conn.stall()

    server.route("GET", QUEUE_DATA, sequence(silent, server.queue_complete))
    with Client(**case.options()) as client:
        result = case.result(lambda: flux_dev(client))
    assert result.data[0].url.endswith("/image.png")


def test_a_reconnect_that_finds_the_session_gone(case: Case, server: FaultServer) -> None:
    case.start("reconnect-session-gone")
    server.route("GET", QUEUE_DATA, sequence(_then(server, "cut"), _session_gone))
    with Client(**case.options()) as client:
        info = case.error(lambda: flux_dev(client))
    assert info.attrs["space"] == "black-forest-labs/FLUX.1-dev"
    assert _sessions(server) == [_joined_session(server)] * 2


def test_cancel_while_reconnecting(case: Case, server: FaultServer) -> None:
    case.start("reconnect-cancel")
    reconnected = threading.Event()

    def stall(conn: Connection, request: Request) -> None:
        conn.start_stream()
        reconnected.set()
        conn.stall()

    server.route("GET", QUEUE_DATA, sequence(_then(server, "cut"), stall))
    with Client(**case.options()) as client:
        job = client.submit("flux-dev", PROMPT, provider="BlackForestLabs_Flux1Dev")
        assert reconnected.wait(WAIT)

        def cancel() -> object:
            assert job.cancel()
            return job.result()

        case.error(cancel)


def test_no_reconnect_past_the_deadline(case: Case, server: FaultServer) -> None:
    case.start("reconnect-deadline")
    server.route("GET", QUEUE_DATA, _then(server, "cut"))
    with Client(**case.options()) as client:
        case.error(lambda: flux_dev(client))
