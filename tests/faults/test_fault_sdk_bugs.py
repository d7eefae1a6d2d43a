"""SDK bugs the fault suite found (fixed since). Each test asserts the correct behaviour.

B1  ``HttpClient.close()`` leaves pooled keep-alive sockets open while anything still references
    their pool (since urllib3 2.0, ``PoolManager.clear()`` only forgets pools, which close when
    garbage-collected; the SDK's errors keep ``response`` → pool, and a failed job's traceback
    is a reference cycle).
B2  Retry waits (``call_with_retries``) ignore the job's deadline and cancel: ``time.sleep`` for
    the whole backoff/``Retry-After``, and the job's own stop error is retried as transient.
B3  The best-effort ``POST {P}/cancel`` after a failed or stopped stream has a fixed 5 s read
    timeout outside the job's scope: an unresponsive Space delays every error by 5 s, past the
    configured total.
B4  Image downloads (``response_format="b64_json"``) run after the job, with no deadline: only
    the per-read timeout, so a server trickling bytes holds the call for as long as it likes.
B5  After the Space reported the job's failure (a terminal event), a ``/cancel`` is still posted.
"""

from __future__ import annotations

import threading

from fault_calls import (
    PREFIX,
    call_events,
    download_b64,
    flux_dev,
    flux_schnell,
    json_handler,
    queue_failure,
    status_handler,
)
from fault_case import Case
from fault_scenarios import MARGIN
from fault_server import PNG, Connection, FaultServer, Request

from hfspace_sdk import Client

QUEUE_FULL = {"detail": "Queue is full. Max size is 1 and size is 1."}


def test_close_releases_sockets_even_while_an_error_is_kept(
    case: Case, server: FaultServer
) -> None:
    case.start("bug-pooled-socket")
    server.route("POST", f"{PREFIX}/queue/join", json_handler(QUEUE_FULL, status=503))
    kept: list[BaseException] = []
    with Client(**case.options()) as client:
        case.error(lambda: flux_dev(client), keep=kept)
    still_open = [conn.paths for conn in server.wait_for_clients(0.5)]
    kept.clear()  # let the teardown's leak check see the sockets go
    assert not still_open, f"connections open after client.close(): {still_open}"


def test_retry_waits_end_at_the_job_deadline(case: Case, server: FaultServer) -> None:
    case.start("bug-retry-sleep")
    server.route(
        "GET", "/api/spaces/[^/]+/[^/]+/jwt", status_handler(503, headers={"Retry-After": "2"})
    )
    with Client(**case.options(hf_token="hf_fault")) as client:
        case.error(lambda: flux_dev(client))


def test_unanswered_cancel_does_not_hold_the_error(case: Case, server: FaultServer) -> None:
    scenario = case.start("bug-cancel-stall")
    release = threading.Event()

    def cancel_later(conn: Connection, request: Request) -> None:
        release.wait(10)  # answered once the test has its verdict (the SDK would wait 5 s)
        conn.json({"success": True})

    server.route("GET", f"{PREFIX}/call/infer/[^/]+", call_events(end="stall"))
    server.route("POST", f"{PREFIX}/cancel", cancel_later)
    timer = threading.Timer(scenario.limit + MARGIN + 0.5, release.set)
    timer.start()
    try:
        with Client(**case.options()) as client:
            case.error(lambda: flux_schnell(client))
    finally:
        release.set()
        timer.cancel()
        timer.join()


DRIP_PERIOD = 0.2  # well under the 0.5 s read timeout: the read timeout never fires


def test_trickled_download_ends_at_the_deadline(case: Case, server: FaultServer) -> None:
    scenario = case.start("bug-download-drip")
    # Trickle for longer than the bound allows, then finish: the call must not wait for it.
    drip_bytes = int((scenario.limit + MARGIN) / DRIP_PERIOD) + 3

    def drip(conn: Connection, request: Request) -> None:
        conn.head(200, {"Content-Type": "image/png"}, content_length=len(PNG))
        for index in range(drip_bytes):
            conn.send(PNG[index : index + 1])
            conn.wait(DRIP_PERIOD)
        conn.send(PNG[drip_bytes:])

    server.route("GET", f"{PREFIX}/file=.*", drip)
    with Client(**case.options()) as client:
        case.error(lambda: download_b64(client))


def test_no_cancel_after_the_space_ended_the_job(case: Case, server: FaultServer) -> None:
    case.start("bug-cancel-after-failure")
    output = {"error": "The look-alike Space failed on purpose", "title": "Error"}
    server.route("GET", f"{PREFIX}/queue/data", queue_failure(server, output))
    with Client(**case.options()) as client:
        case.error(lambda: flux_dev(client))
    case.finish()  # the requests sent: no /cancel for a job the Space already ended
