"""What ``job.cancel()`` does on each protocol while the Space is working."""

from __future__ import annotations

import threading

from fault_calls import PREFIX, PROMPT, call_events, flux_schnell, status_handler
from fault_case import Case
from fault_server import Connection, FaultServer, Handler, Request, message

from hfspace_sdk import Client, Job

WAIT = 5.0  # the longest a test waits for the server to see a request


def _stall_once_seen(seen: threading.Event, *, head: str = "") -> Handler:
    def handle(conn: Connection, request: Request) -> None:
        if head == "stream":
            conn.start_stream()
        elif head == "queue":
            conn.start_stream()
            conn.chunk(message({"msg": "estimation", "event_id": None, "rank": 0, "queue_size": 1}))
        seen.set()
        conn.stall()

    return handle


def _cancel(job: Job) -> object:
    assert job.cancel()
    return job.result()


def test_cancel_on_call_posts_cancel_with_the_event_id(case: Case, server: FaultServer) -> None:
    case.start("cancel-call")
    seen = threading.Event()
    server.route("GET", f"{PREFIX}/call/infer/[^/]+", _stall_once_seen(seen, head="stream"))
    with Client(**case.options()) as client:
        job = client.submit("flux", PROMPT, provider="BlackForestLabs_Flux1Schnell")
        assert seen.wait(WAIT)
        case.error(lambda: _cancel(job))
    event_id = next(r for r in server.requests if "/call/infer/" in r.path).path.rsplit("/", 1)[1]
    cancel = next(r for r in server.requests if r.path == f"{PREFIX}/cancel")
    assert cancel.json() == {"session_hash": event_id, "fn_index": 2, "event_id": event_id}


def test_cancel_on_queue_posts_cancel_with_session_and_event(
    case: Case, server: FaultServer
) -> None:
    case.start("cancel-queue")
    seen = threading.Event()
    server.route("GET", f"{PREFIX}/queue/data", _stall_once_seen(seen, head="queue"))
    with Client(**case.options()) as client:
        job = client.submit("flux-dev", PROMPT, provider="BlackForestLabs_Flux1Dev")
        assert seen.wait(WAIT)
        case.error(lambda: _cancel(job))
    join = next(r for r in server.requests if r.path == f"{PREFIX}/queue/join")
    session = join.json()["session_hash"]
    cancel = next(r for r in server.requests if r.path == f"{PREFIX}/cancel")
    assert cancel.json() == {
        "session_hash": session,
        "fn_index": 2,
        "event_id": server.sessions[session]["event_id"],
    }


def test_cancel_on_run_predict_interrupts_the_request(case: Case, server: FaultServer) -> None:
    case.start("cancel-predict")
    seen = threading.Event()
    server.route("POST", f"{PREFIX}/run/predict", _stall_once_seen(seen))
    with Client(**case.options()) as client:
        job = client.submit("flux-schnell", PROMPT, provider="G4F", api_key="t")
        assert seen.wait(WAIT)
        case.error(lambda: _cancel(job))
        # Interrupted now, while the client is still open: not merely closed by close().
        predict = next(c for c in server.connections() if f"POST {PREFIX}/run/predict" in c.paths)
        assert predict.finished.wait(WAIT) and predict.peer_closed


def test_cancel_answered_with_503_is_ignored(case: Case, server: FaultServer) -> None:
    case.start("cancel-refused")
    server.route("GET", f"{PREFIX}/call/infer/[^/]+", call_events(end="stall"))
    server.route("POST", f"{PREFIX}/cancel", status_handler(503))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_one_client_shared_by_concurrent_jobs(case: Case, server: FaultServer) -> None:
    case.start("concurrent-mixed")

    def refuse_some(conn: Connection, request: Request) -> None:
        if "refuse" in request.json()["data"][0]:
            conn.respond(503, "", "text/plain")
        else:
            FaultServer.call_accept(conn, request)

    server.route("POST", f"{PREFIX}/call/infer", refuse_some)
    prompts = ["a fox", "refuse a cat", "an owl", "refuse a hen"]
    with Client(**case.options()) as client:
        outcomes = case.result(
            lambda: sorted(
                client.images.generate_many(
                    prompts, max_concurrency=4, provider="BlackForestLabs_Flux1Schnell"
                ),
                key=lambda outcome: outcome.index,
            )
        )
    assert [type(outcome.error).__name__ for outcome in outcomes] == [
        "NoneType",
        "ResponseStatusError",
        "NoneType",
        "ResponseStatusError",
    ]
    assert all(outcome.response is not None for outcome in outcomes[::2])
