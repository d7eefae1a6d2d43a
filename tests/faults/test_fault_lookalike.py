"""Faults a real Gradio produces, from the look-alike Spaces (Gradio 6, heartbeats every 0.2 s).

Quota wordings and hidden errors come straight from the look-alikes (``[[quota]]``,
``[[quota-left]]``, ``[[quota-free]]``, ``[[hidden]]`` in a prompt). An unknown session, an
unknown event id and a stream of heartbeats that never ends need a request the SDK never makes
on its own, so the fault server stands in front of the look-alike: it answers the submission
itself (the real Space never hears of the job) or replays a finished /call event, and relays the
real Space's stream byte for byte, cut included.

A real Gradio queue never reports "queue full" here: the look-alike kit does not expose the
queue's ``max_size``, so that fault is covered by the fault server (test_fault_status.py).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping

import pytest
from fault_calls import PREFIX, PROMPT, flux_dev, flux_schnell, json_handler
from fault_case import Case
from fault_server import FaultServer, Request, fetch, proxy

from hfspace_sdk import Client
from hfspace_sdk.testing import space_urls_for

pytestmark = pytest.mark.e2e

NOWHERE = "http://127.0.0.1:9"  # no hub request is made: a refused port if one ever were


def _options(case: Case, urls: Mapping[str, str]) -> dict[str, object]:
    return case.options(url=NOWHERE, space_urls=space_urls_for(urls))


def _generate(client: Client, provider: str, model: str, token: str, **params: object) -> object:
    return client.images.generate(f"{PROMPT} {token}", provider=provider, model=model, **params)


def test_quota_requested_first(case: Case, fault_lookalikes: Mapping[str, str]) -> None:
    case.start("e2e-quota")
    with Client(**_options(case, fault_lookalikes)) as client:
        info = case.error(
            lambda: _generate(client, "BlackForestLabs_Flux1Dev", "flux-dev", "[[quota]]")
        )
    assert (info.attrs["requested"], info.attrs["left"], info.attrs["retry_after"]) == (
        60,
        56,
        None,
    )


def test_quota_left_first(case: Case, fault_lookalikes: Mapping[str, str]) -> None:
    case.start("e2e-quota-left")
    with Client(**_options(case, fault_lookalikes)) as client:
        info = case.error(
            lambda: client.chat.completions.create(
                messages="What is this? [[quota-left]]",
                provider="DeepseekAI_JanusPro7b",
                api_key="t",
            )
        )
    assert (info.attrs["requested"], info.attrs["left"], info.attrs["retry_after"]) == (60, 46, 588)


def test_quota_free_on_the_direct_route(case: Case, fault_lookalikes: Mapping[str, str]) -> None:
    case.start("e2e-quota-free")
    with Client(**_options(case, fault_lookalikes)) as client:
        info = case.error(
            lambda: _generate(client, "G4F", "flux-schnell", "[[quota-free]]", api_key="t")
        )
    assert info.attrs["title"] == "ZeroGPU quota exceeded"
    assert (info.attrs["requested"], info.attrs["left"], info.attrs["retry_after"]) == (60, 12, 343)


def test_hidden_error_on_the_queue(case: Case, fault_lookalikes: Mapping[str, str]) -> None:
    case.start("e2e-hidden-queue")
    with Client(**_options(case, fault_lookalikes)) as client:
        case.error(lambda: _generate(client, "BlackForestLabs_Flux1Dev", "flux-dev", "[[hidden]]"))


def test_hidden_error_over_call(case: Case, fault_lookalikes: Mapping[str, str]) -> None:
    case.start("e2e-hidden-call")
    with Client(**_options(case, fault_lookalikes)) as client:
        case.error(lambda: _generate(client, "BlackForestLabs_Flux1Schnell", "flux", "[[hidden]]"))


def test_unknown_session_from_a_real_queue(
    case: Case, server: FaultServer, fault_lookalikes: Mapping[str, str]
) -> None:
    case.start("e2e-unknown-session")
    real = fault_lookalikes["flux-dev"]
    server.route("GET", "/config", proxy(real))
    server.route("POST", f"{PREFIX}/queue/join", json_handler({"event_id": uuid.uuid4().hex}))
    server.route("GET", f"{PREFIX}/queue/data", proxy(real))
    with Client(**case.options()) as client:
        case.error(lambda: flux_dev(client))


def test_unknown_event_id_from_a_real_call(
    case: Case, server: FaultServer, fault_lookalikes: Mapping[str, str]
) -> None:
    case.start("e2e-unknown-event")
    real = fault_lookalikes["flux-schnell"]
    server.route("GET", "/config", proxy(real))
    server.route("POST", f"{PREFIX}/call/infer", json_handler({"event_id": uuid.uuid4().hex}))
    server.route("GET", f"{PREFIX}/call/infer/[^/]+", proxy(real))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_heartbeats_forever_from_a_real_call(
    case: Case, server: FaultServer, fault_lookalikes: Mapping[str, str]
) -> None:
    case.start("e2e-heartbeats")
    real = fault_lookalikes["flux-schnell"]
    # A real event, streamed once to its end here: a client's GET of it is then a second one.
    body = json.dumps({"data": [PROMPT, 0, True, 256, 256, 1]}).encode()
    submit = Request(
        "POST", f"{PREFIX}/call/infer", {}, {"content-type": "application/json"}, body, 0.0, 0
    )
    event_id = json.loads(fetch(real, submit).partition(b"\r\n\r\n")[2])["event_id"]
    first = Request("GET", f"{PREFIX}/call/infer/{event_id}", {}, {}, b"", 0.0, 0)
    assert b"event: complete" in fetch(real, first)
    relayed: list[bytes] = []
    server.route("GET", "/config", proxy(real))
    server.route("POST", f"{PREFIX}/call/infer", json_handler({"event_id": event_id}))
    server.route("GET", f"{PREFIX}/call/infer/[^/]+", proxy(real, tap=relayed.append))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))
    stream = b"".join(relayed)
    assert stream.count(b"event: heartbeat") >= 2 and b"event: complete" not in stream
