"""Event streams that stall, end early, are cut, never end, or carry garbage; errors on them."""

from __future__ import annotations

from fault_calls import (
    CALL_HEARTBEAT,
    PREFIX,
    QUEUE_HEARTBEAT,
    call_events,
    flux_dev,
    flux_schnell,
    g4f_flux,
    heartbeats,
    janus_chat,
    json_handler,
    queue_events,
    queue_failure,
    raw_queue_data,
)
from fault_case import Case
from fault_server import Connection, FaultServer, Request, file_data, message, sse

from hfspace_sdk import Client

CALL_STREAM = f"{PREFIX}/call/infer/[^/]+"
QUEUE_DATA = f"{PREFIX}/queue/data"


def _cancel_bodies(server: FaultServer) -> list[dict[str, object]]:
    return [r.json() for r in server.requests if r.path == f"{PREFIX}/cancel"]


# --- streams that stop ----------------------------------------------------------------------


def test_call_stream_silent_before_the_first_event(case: Case, server: FaultServer) -> None:
    case.start("stall-call-before")
    server.route("GET", CALL_STREAM, call_events(end="stall"))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))
    event_id = next(r for r in server.requests if "/call/infer/" in r.path).path.rsplit("/", 1)[1]
    assert _cancel_bodies(server) == [
        {"session_hash": event_id, "fn_index": 2, "event_id": event_id}
    ]


def test_queue_stream_silent_after_the_first_events(case: Case, server: FaultServer) -> None:
    case.start("stall-queue-after")
    server.route(
        "GET", QUEUE_DATA, queue_events(server, "estimation", "process_starts", end="stall")
    )
    with Client(**case.options()) as client:
        case.error(lambda: flux_dev(client))


def test_call_stream_ending_before_the_first_event(case: Case, server: FaultServer) -> None:
    case.start("end-call-before")
    server.route("GET", CALL_STREAM, call_events(end="terminator"))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_queue_stream_ending_without_a_result(case: Case, server: FaultServer) -> None:
    case.start("end-queue-after")
    server.route(
        "GET", QUEUE_DATA, queue_events(server, "estimation", "process_starts", end="terminator")
    )
    with Client(**case.options()) as client:
        case.error(lambda: flux_dev(client))


def test_call_stream_cut_without_chunked_terminator(case: Case, server: FaultServer) -> None:
    case.start("cut-call")
    server.route("GET", CALL_STREAM, call_events(sse("generating", [None, 1]), end="cut"))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_queue_stream_cut_mid_message(case: Case, server: FaultServer) -> None:
    case.start("cut-queue")
    server.route("GET", QUEUE_DATA, queue_events(server, "estimation", end="cut"))
    with Client(**case.options()) as client:
        case.error(lambda: flux_dev(client))


def test_call_heartbeats_forever_end_at_the_total_timeout(case: Case, server: FaultServer) -> None:
    case.start("heartbeats-call")
    server.route("GET", CALL_STREAM, heartbeats(CALL_HEARTBEAT))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_queue_heartbeats_forever_end_at_the_total_timeout(case: Case, server: FaultServer) -> None:
    case.start("heartbeats-queue")
    server.route("GET", QUEUE_DATA, heartbeats(QUEUE_HEARTBEAT))
    with Client(**case.options()) as client:
        case.error(lambda: janus_chat(client))


# --- garbage on the stream ------------------------------------------------------------------


def test_malformed_sse_lines_are_ignored(case: Case, server: FaultServer) -> None:
    case.start("malformed-lines")

    def handle(conn: Connection, request: Request) -> None:
        conn.start_stream()
        conn.chunk(": a comment\nretry: 10\nid: 7\nthis line has no colon\ndatum: x\n\n")
        conn.chunk("event: heartbeat\ndata:null\n\n")
        conn.chunk(sse("complete", [file_data(request), 42]))
        conn.end_stream()

    server.route("GET", CALL_STREAM, handle)
    with Client(**case.options()) as client:
        result = case.result(lambda: flux_schnell(client))
    assert result.data[0].url.endswith("/image.png")


def test_stream_that_is_not_utf8(case: Case, server: FaultServer) -> None:
    case.start("not-utf8")

    def handle(conn: Connection, request: Request) -> None:
        conn.start_stream()
        conn.chunk(b'event: complete\ndata: ["\xff\xfe"]\n\n')
        conn.end_stream()

    server.route("GET", CALL_STREAM, handle)
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_call_event_with_non_json_data(case: Case, server: FaultServer) -> None:
    case.start("not-json-call")
    server.route("GET", CALL_STREAM, call_events('event: complete\ndata: [{"path": oops\n\n'))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_queue_message_with_non_json_data(case: Case, server: FaultServer) -> None:
    case.start("not-json-queue")
    server.route("GET", QUEUE_DATA, raw_queue_data(["data: process_completed\n\n"]))
    with Client(**case.options()) as client:
        case.error(lambda: flux_dev(client))


def test_queue_message_without_msg(case: Case, server: FaultServer) -> None:
    case.start("no-msg-queue")
    server.route("GET", QUEUE_DATA, raw_queue_data([message({"event_id": None})]))
    with Client(**case.options()) as client:
        case.error(lambda: flux_dev(client))


# --- the server does not know the job -------------------------------------------------------


def test_unknown_event_id(case: Case, server: FaultServer) -> None:
    case.start("unknown-event")
    server.route("GET", CALL_STREAM, call_events(sse("error", "404: Not Found"), end="cut"))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_unknown_session(case: Case, server: FaultServer) -> None:
    case.start("unknown-session")
    unexpected = message(
        {
            "msg": "unexpected_error",
            "event_id": None,
            "message": "404: Not Found",
            "session_not_found": True,
            "success": False,
        }
    )

    def handle(conn: Connection, request: Request) -> None:
        conn.start_stream()
        conn.chunk(unexpected)
        conn.cut()

    server.route("GET", QUEUE_DATA, handle)
    with Client(**case.options()) as client:
        case.error(lambda: flux_dev(client))


# --- errors the Space reports -----------------------------------------------------------------


def test_completed_with_success_false_and_error_null(case: Case, server: FaultServer) -> None:
    case.start("hidden-queue")
    output = {"error": None, "duration": 10, "visible": True, "title": "Error"}
    server.route("GET", QUEUE_DATA, queue_failure(server, output))
    with Client(**case.options()) as client:
        info = case.error(lambda: flux_dev(client))
    assert info.attrs["title"] == "Error"


def test_call_error_event_with_error_null(case: Case, server: FaultServer) -> None:
    case.start("hidden-call")
    server.route("GET", CALL_STREAM, call_events(sse("error", {"error": None})))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_quota_wording_requested_first(case: Case, server: FaultServer) -> None:
    case.start("quota-requested-first")
    text = (
        "You have exceeded your GPU quota (60s requested vs. 56s left). "
        '<a href="https://huggingface.co/join">Sign up</a>'
    )
    server.route("GET", QUEUE_DATA, queue_failure(server, {"error": text, "title": "Error"}))
    with Client(**case.options()) as client:
        info = case.error(lambda: flux_dev(client))
    assert (info.attrs["requested"], info.attrs["left"], info.attrs["retry_after"]) == (
        60,
        56,
        None,
    )


def test_quota_wording_left_first(case: Case, server: FaultServer) -> None:
    case.start("quota-left-first")
    text = "You have exceeded your GPU quota (46s left vs. 60s requested). Please retry in 0:09:48."
    server.route("GET", QUEUE_DATA, queue_failure(server, {"error": text}))
    with Client(**case.options()) as client:
        info = case.error(lambda: flux_dev(client))
    assert (info.attrs["requested"], info.attrs["left"], info.attrs["retry_after"]) == (60, 46, 588)


def test_quota_on_the_direct_route(case: Case, server: FaultServer) -> None:
    case.start("quota-predict")
    body = {
        "error": "You have exceeded your free ZeroGPU quota (60s requested vs. 12s left). "
        "Try again in 0:05:43.",
        "duration": 10,
        "visible": True,
        "title": "ZeroGPU quota exceeded",
    }
    server.route("POST", f"{PREFIX}/run/predict", json_handler(body, status=500))
    with Client(**case.options()) as client:
        info = case.error(lambda: g4f_flux(client))
    assert info.attrs["title"] == "ZeroGPU quota exceeded"
    assert (info.attrs["requested"], info.attrs["left"], info.attrs["retry_after"]) == (60, 12, 343)
