"""HTTP error statuses on every request kind: what the user gets, and which requests are retried.

A request that submits work (``/call``, ``queue/join``, ``run/predict``) or streams it, and an
upload or download, is sent exactly once whatever the status. ``/config`` and the hub requests
are retried (3 tries) on 408/425/429/5xx and connection errors, waiting as ``Retry-After`` says
(capped at 8 s); 4xx are not retried. The retry matrix uses ``Runtime``'s injected sleep to record
the waits; a few cases go through ``Client`` with real waits.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import pytest
from fault_calls import (
    PREFIX,
    PROMPT,
    download_b64,
    flux_dev,
    flux_schnell,
    g4f_flux,
    janus_upload,
    json_handler,
    redirect_handler,
    status_handler,
)
from fault_case import Case
from fault_scenarios import RETRIED_KINDS, STATUS_KINDS, STATUSES
from fault_server import CONFIG, FaultServer, closed_port, sequence

from hfspace_sdk import (
    BlackForestLabs_Flux1Dev,
    BlackForestLabs_Flux1Schnell,
    Client,
    DeepseekAI_JanusPro7b,
)

#: kind -> (method, path regex of the route that fails, the public call)
NEVER_RETRIED: dict[str, tuple[str, str, Callable[[Client], Any]]] = {
    "call": ("POST", f"{PREFIX}/call/infer", flux_schnell),
    "call-stream": ("GET", f"{PREFIX}/call/infer/[^/]+", flux_schnell),
    "join": ("POST", f"{PREFIX}/queue/join", flux_dev),
    "data": ("GET", f"{PREFIX}/queue/data", flux_dev),
    "predict": ("POST", f"{PREFIX}/run/predict", g4f_flux),
    "upload": ("POST", f"{PREFIX}/upload", janus_upload),
    "file": ("GET", f"{PREFIX}/file=.*", download_b64),
}
assert tuple(NEVER_RETRIED) == STATUS_KINDS
QUEUE_FULL = {"detail": "Queue is full. Max size is 1 and size is 1."}
MESSAGES = [{"role": "user", "content": PROMPT}]


@pytest.mark.parametrize("retry_after", [None, "1"], ids=["no-retry-after", "retry-after-1"])
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("kind", STATUS_KINDS)
def test_error_status_on_a_request_never_retried(
    case: Case, server: FaultServer, kind: str, status: int, retry_after: Optional[str]
) -> None:
    case.start(f"status-{kind}-{status}")
    method, path, call = NEVER_RETRIED[kind]
    headers = {"Retry-After": retry_after} if retry_after else None
    server.route(method, path, status_handler(status, headers=headers))
    with Client(**case.options()) as client:
        info = case.error(lambda: call(client))
    assert info.attrs["status_code"] == status
    assert info.attrs["retry_after"] == (float(retry_after) if retry_after else None)


def test_500_with_a_text_body(case: Case, server: FaultServer) -> None:
    case.start("500-text")
    server.route("POST", f"{PREFIX}/call/infer", status_handler(500, "Internal Server Error"))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_500_with_an_html_body(case: Case, server: FaultServer) -> None:
    case.start("500-html")
    page = "<!DOCTYPE html><html><body><h1>500</h1><p>Something went wrong</p></body></html>"
    server.route(
        "POST", f"{PREFIX}/queue/join", status_handler(500, page, "text/html; charset=utf-8")
    )
    with Client(**case.options()) as client:
        case.error(lambda: flux_dev(client))


def test_500_with_a_gradio_error_on_the_direct_route(case: Case, server: FaultServer) -> None:
    case.start("500-json-predict")
    body = {"error": "Prompt must not be empty", "duration": 10, "visible": True, "title": "Error"}
    server.route("POST", f"{PREFIX}/run/predict", json_handler(body, status=500))
    with Client(**case.options()) as client:
        info = case.error(lambda: g4f_flux(client))
    assert info.attrs["title"] == "Error"


def test_queue_full_on_join(case: Case, server: FaultServer) -> None:
    case.start("queue-full-join")
    server.route("POST", f"{PREFIX}/queue/join", json_handler(QUEUE_FULL, status=503))
    with Client(**case.options()) as client:
        case.error(lambda: flux_dev(client))


def test_queue_full_on_call(case: Case, server: FaultServer) -> None:
    case.start("queue-full-call")
    server.route("POST", f"{PREFIX}/call/infer", json_handler(QUEUE_FULL, status=503))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


# --- retried requests, waits recorded with an injected sleep ---------------------------------

RETRIED_ROUTES = {
    "config": "/config",
    "jwt": "/api/spaces/[^/]+/[^/]+/jwt",
    "page": "/spaces/[^/]+/[^/]+",
}


def _run(case: Case, kind: str, sleeps: list[float], **options: Any) -> Any:
    """The public provider call for a retried kind, with waits going to ``sleeps``."""
    if kind == "config":
        provider: Any = case.provider(BlackForestLabs_Flux1Schnell, sleep=sleeps.append, **options)
        model = "flux"
    elif kind == "jwt":
        provider = case.provider(
            BlackForestLabs_Flux1Dev, sleep=sleeps.append, hf_token="hf_fault", **options
        )
        model = "flux-dev"
    else:
        provider = case.provider(DeepseekAI_JanusPro7b, sleep=sleeps.append, **options)
        model = "janus-pro-7b"
    with provider:
        return list(provider.create_completion(model, MESSAGES))


def _check_waits(sleeps: list[float], retry_after: Optional[str]) -> None:
    assert len(sleeps) == 2, sleeps
    if retry_after:
        assert sleeps == [float(retry_after)] * 2
    else:
        assert 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0, sleeps


@pytest.mark.parametrize("retry_after", [None, "1"], ids=["no-retry-after", "retry-after-1"])
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("kind", RETRIED_KINDS)
def test_error_status_on_a_retried_request(
    case: Case, server: FaultServer, kind: str, status: int, retry_after: Optional[str]
) -> None:
    case.start(f"retried-{kind}-{status}")
    headers = {"Retry-After": retry_after} if retry_after else None
    server.route("GET", RETRIED_ROUTES[kind], status_handler(status, headers=headers))
    sleeps: list[float] = []
    if kind == "page":  # the job goes on without the page's token
        events = case.result(lambda: _run(case, kind, sleeps))
        assert events[-1] == "The look-alike answer."
        join = next(r for r in server.requests if r.path.endswith("/queue/join"))
        assert join.headers["x-zerogpu-token"] == "[object Object]"
        assert "x-zerogpu-uuid" not in join.headers
    else:
        info = case.error(lambda: _run(case, kind, sleeps))
        assert info.attrs["retry_after"] == (float(retry_after) if retry_after else None)
    _check_waits(sleeps, retry_after)


def test_config_404_is_not_retried(case: Case, server: FaultServer) -> None:
    case.start("retried-config-404")
    server.route("GET", "/config", json_handler({"detail": "Not Found"}, status=404))
    sleeps: list[float] = []
    case.error(lambda: _run(case, "config", sleeps))
    assert sleeps == []


def test_jwt_401_is_not_retried(case: Case, server: FaultServer) -> None:
    case.start("retried-jwt-401")
    body = {"error": "Invalid credentials in Authorization header"}
    server.route("GET", RETRIED_ROUTES["jwt"], json_handler(body, status=401))
    sleeps: list[float] = []
    case.error(lambda: _run(case, "jwt", sleeps))
    assert sleeps == []


def test_hub_refusing_connections_is_retried(case: Case, server: FaultServer) -> None:
    case.start("retried-jwt-refused")
    sleeps: list[float] = []
    case.error(lambda: _run(case, "jwt", sleeps, hub_url=f"http://127.0.0.1:{closed_port()}"))
    _check_waits(sleeps, None)


def test_retry_after_is_capped(case: Case, server: FaultServer) -> None:
    case.start("retry-after-capped")
    server.route("GET", "/config", status_handler(503, headers={"Retry-After": "120"}))
    sleeps: list[float] = []
    # A job long enough for the 8 s cap to show (waits never outlast the job's own deadline).
    case.error(lambda: _run(case, "config", sleeps, timeout=60))
    assert sleeps == [8.0, 8.0]


def test_config_503_html_while_the_space_starts(case: Case, server: FaultServer) -> None:
    case.start("config-503-html")
    page = "<!DOCTYPE html><html><body>Your Space is starting…</body></html>"
    server.route("GET", "/config", status_handler(503, page, "text/html; charset=utf-8"))
    sleeps: list[float] = []
    case.error(lambda: _run(case, "config", sleeps))
    _check_waits(sleeps, None)


# --- retried requests through Client, with real waits ----------------------------------------


def test_config_503_once_then_the_job_runs(case: Case, server: FaultServer) -> None:
    case.start("config-503-once")
    server.route("GET", "/config", sequence(status_handler(503), json_handler(CONFIG)))
    with Client(**case.options()) as client:
        case.result(lambda: flux_schnell(client))


def test_zerogpu_token_429_with_retry_after_once(case: Case, server: FaultServer) -> None:
    case.start("jwt-429-once")
    server.route(
        "GET",
        RETRIED_ROUTES["jwt"],
        sequence(status_handler(429, headers={"Retry-After": "1"}), server.jwt_ok),
    )
    with Client(**case.options(hf_token="hf_fault")) as client:
        case.result(lambda: flux_dev(client))
    first, second = (r for r in server.requests if r.path.endswith("/jwt"))
    assert second.at - first.at >= 1.0  # Retry-After honoured
    join = next(r for r in server.requests if r.path.endswith("/queue/join"))
    assert join.headers["x-zerogpu-token"] == "fault-jwt"


def test_zerogpu_token_503_on_every_try(case: Case, server: FaultServer) -> None:
    case.start("jwt-503-always")
    server.route("GET", RETRIED_ROUTES["jwt"], status_handler(503))
    with Client(**case.options(hf_token="hf_fault")) as client:
        case.error(lambda: flux_dev(client))


def test_zerogpu_token_answer_not_json(case: Case, server: FaultServer) -> None:
    case.start("jwt-not-json")
    server.route(
        "GET", RETRIED_ROUTES["jwt"], status_handler(200, "<html>login</html>", "text/html")
    )
    with Client(**case.options(hf_token="hf_fault")) as client:
        case.error(lambda: flux_dev(client))


def test_zerogpu_token_answer_without_token(case: Case, server: FaultServer) -> None:
    case.start("jwt-no-token")
    server.route("GET", RETRIED_ROUTES["jwt"], json_handler({}))
    with Client(**case.options(hf_token="hf_fault")) as client:
        case.error(lambda: flux_dev(client))


# --- /config and redirects ----------------------------------------------------------------------


def test_config_that_is_html(case: Case, server: FaultServer) -> None:
    case.start("config-html")
    page = "<!DOCTYPE html><html><body>This Space is sleeping</body></html>"
    server.route("GET", "/config", status_handler(200, page, "text/html; charset=utf-8"))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_config_redirect_is_followed(case: Case, server: FaultServer) -> None:
    case.start("redirect-config")
    server.route("GET", "/config", redirect_handler(lambda r: "/moved/config"))
    server.route("GET", "/moved/config", json_handler(CONFIG))
    with Client(**case.options()) as client:
        case.result(lambda: flux_schnell(client))


def test_redirect_loop(case: Case, server: FaultServer) -> None:
    case.start("redirect-loop")
    server.route("GET", "/config", redirect_handler(lambda r: "/config"))
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_cross_host_redirect_drops_credentials(case: Case, server: FaultServer) -> None:
    case.start("redirect-cross-host")
    elsewhere = f"http://localhost:{server.port}"

    def location(request: Any) -> str:
        query = "&".join(f"{k}={v}" for k, v in request.query.items())
        return f"{elsewhere}{request.path}?{query}"

    server.route(
        "GET", RETRIED_ROUTES["jwt"], sequence(redirect_handler(location, 307), server.jwt_ok)
    )
    with Client(**case.options(hf_token="hf_secret", cookies={"session": "s3cret"})) as client:
        case.result(lambda: flux_dev(client))
    first, second = (r for r in server.requests if r.path.endswith("/jwt"))
    assert first.headers["authorization"] == "Bearer hf_secret"
    assert "session=s3cret" in first.headers["cookie"]
    assert second.headers["host"] == f"localhost:{server.port}"
    assert "authorization" not in second.headers
    assert "cookie" not in second.headers
