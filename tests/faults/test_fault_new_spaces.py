"""Faults on the Space providers of today (FLUX.1-Kontext-dev, SD 3.5 Large): the user gets the
declared typed error, never g4f's assert or its "GPU token limit exceeded"."""

from __future__ import annotations

from typing import Any

from fault_calls import PREFIX, PROMPT, call_events, json_handler, status_handler
from fault_case import Case
from fault_server import PNG, FaultServer, sse

from hfspace_sdk import Client


def kontext_edit(client: Client) -> Any:
    """Queue protocol with an upload first (a ZeroGPU token given: no hub request)."""
    return client.images.edit(PNG, PROMPT, api_key="t")


def sd35(client: Client) -> Any:
    """/call protocol."""
    return client.images.generate(PROMPT, model="sd-3.5-large")


def test_kontext_upload_refused(case: Case, server: FaultServer) -> None:
    case.start("kontext-upload-413")
    server.route("POST", f"{PREFIX}/upload", status_handler(413, "Payload Too Large"))
    with Client(**case.options()) as client:
        case.error(lambda: kontext_edit(client))


def test_kontext_join_without_an_event_id(case: Case, server: FaultServer) -> None:
    case.start("kontext-join-without-event-id")
    server.route("POST", f"{PREFIX}/queue/join", json_handler({}))
    with Client(**case.options()) as client:
        case.error(lambda: kontext_edit(client))


def test_sd35_shows_the_spaces_error_text(case: Case, server: FaultServer) -> None:
    case.start("sd35-error-text")
    server.route(
        "GET",
        f"{PREFIX}/call/infer/[^/]+",
        call_events(sse("error", {"error": "CUDA out of memory"})),
    )
    with Client(**case.options()) as client:
        case.error(lambda: sd35(client))
