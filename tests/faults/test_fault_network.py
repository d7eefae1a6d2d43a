"""Faults below HTTP: refused, DNS, connect timeout, silence, a connection closed unanswered."""

from __future__ import annotations

from typing import Any

from fault_calls import PREFIX, PROMPT, flux_dev, flux_schnell, g4f_flux, stall
from fault_case import Case
from fault_server import Connection, FaultServer, Request, backlogged_port, closed_port

from hfspace_sdk import BlackForestLabs_Flux1Schnell, Client


def _flux_schnell_recording_waits(case: Case, sleeps: list[float], **options: Any) -> Any:
    """The public provider call, with the retry waits recorded instead of slept."""
    with case.provider(BlackForestLabs_Flux1Schnell, sleep=sleeps.append, **options) as flux:
        return list(flux.create_completion("flux", [{"role": "user", "content": PROMPT}]))


def test_connection_refused_is_retried_then_reported(case: Case) -> None:
    case.start("refused")
    with Client(**case.options(url=f"http://127.0.0.1:{closed_port()}")) as client:
        case.error(lambda: flux_schnell(client))


def test_dns_failure_is_retried_then_reported(case: Case) -> None:
    case.start("dns")
    sleeps: list[float] = []
    case.error(
        lambda: _flux_schnell_recording_waits(case, sleeps, url="http://nonexistent.invalid")
    )
    assert len(sleeps) == 2


def test_connect_timeout_on_a_full_loopback_backlog(case: Case) -> None:
    case.start("connect-timeout")
    sleeps: list[float] = []
    with backlogged_port() as port:
        url = f"http://127.0.0.1:{port}"
        case.error(lambda: _flux_schnell_recording_waits(case, sleeps, url=url))
    assert len(sleeps) == 2


def test_config_that_never_answers_is_retried_under_the_read_timeout(
    case: Case, server: FaultServer
) -> None:
    case.start("silent-config")
    server.route("GET", "/config", stall)
    sleeps: list[float] = []
    case.error(lambda: _flux_schnell_recording_waits(case, sleeps))
    assert len(sleeps) == 2


def test_call_submission_that_never_answers_is_sent_once(case: Case, server: FaultServer) -> None:
    case.start("silent-call")
    server.route("POST", f"{PREFIX}/call/infer", stall)
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_queue_join_that_never_answers_is_sent_once(case: Case, server: FaultServer) -> None:
    case.start("silent-join")
    server.route("POST", f"{PREFIX}/queue/join", stall)
    with Client(**case.options()) as client:
        case.error(lambda: flux_dev(client))


def test_run_predict_that_never_answers_is_sent_once(case: Case, server: FaultServer) -> None:
    case.start("silent-predict")
    server.route("POST", f"{PREFIX}/run/predict", stall)
    with Client(**case.options()) as client:
        case.error(lambda: g4f_flux(client))


def test_submission_closed_without_an_answer_is_not_resent(case: Case, server: FaultServer) -> None:
    case.start("closed-call")

    def close_unanswered(conn: Connection, request: Request) -> None:
        conn.cut()

    server.route("POST", f"{PREFIX}/call/infer", close_unanswered)
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))
