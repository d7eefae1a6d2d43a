"""The fake Hugging Face hub (in-process, standard library server)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Optional
from urllib.parse import quote

import pytest
import requests

from hfspace_sdk.testing import FakeHub, serve_hub

TIMEOUT = 10
EXPIRATION = quote("2025-05-06T12:34:56.789+00:00")


@pytest.fixture()
def hub() -> Iterator[FakeHub]:
    with serve_hub(jwt_token="jwt-123", page_token="tok-abc", session_uuid="uuid-xyz") as running:
        yield running


def _jwt(
    hub: FakeHub,
    headers: Optional[dict[str, str]] = None,
    cookies: Optional[dict[str, str]] = None,
) -> requests.Response:
    return requests.get(
        f"{hub.url}/api/spaces/deepseek-ai/Janus-Pro-7B/jwt"
        f"?expiration={EXPIRATION}&include_pro_status=true",
        headers=headers,
        cookies=cookies,
        timeout=TIMEOUT,
    )


def test_url_is_local(hub: FakeHub) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", hub.url)


def test_jwt_with_bearer(hub: FakeHub) -> None:
    response = _jwt(hub, headers={"Authorization": "Bearer hf_secret"})
    assert response.status_code == 200
    body = response.json()
    assert body["token"] == "jwt-123"
    assert isinstance(body["exp"], int)


def test_jwt_with_cookie(hub: FakeHub) -> None:
    response = _jwt(hub, cookies={"token": "session-cookie"})
    assert response.status_code == 200
    assert response.json()["token"] == "jwt-123"


def test_jwt_without_credentials(hub: FakeHub) -> None:
    response = _jwt(hub)
    assert response.status_code == 401
    assert response.json() == {"error": "Invalid credentials in Authorization header"}
    assert _jwt(hub, headers={"Authorization": "Bearer "}).status_code == 401


def test_requests_are_recorded(hub: FakeHub) -> None:
    _jwt(hub, headers={"Authorization": "Bearer hf_secret", "X-Extra": "1"})
    (recorded,) = hub.requests
    assert recorded.method == "GET"
    assert recorded.path == "/api/spaces/deepseek-ai/Janus-Pro-7B/jwt"
    assert recorded.query == f"expiration={EXPIRATION}&include_pro_status=true"
    assert recorded.params["include_pro_status"] == ["true"]
    assert recorded.params["expiration"] == ["2025-05-06T12:34:56.789+00:00"]
    assert recorded.header("authorization") == "Bearer hf_secret"
    assert recorded.headers["X-Extra"] == "1"


def test_space_page_scrape(hub: FakeHub) -> None:
    response = requests.get(f"{hub.url}/spaces/deepseek-ai/Janus-Pro-7B", timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    # The exact regular expressions g4f uses on the real page.
    token = re.search(r"&quot;token&quot;:&quot;([^&]+?)&quot;", html)
    session = re.search(r"&quot;sessionUuid&quot;:&quot;([^&]+?)&quot;", html)
    assert token and token.group(1) == "tok-abc"
    assert session and session.group(1) == "uuid-xyz"
    assert '"token"' not in html  # only attribute-encoded, like the Hub


def test_unknown_path_is_404_json(hub: FakeHub) -> None:
    response = requests.get(f"{hub.url}/api/models/x", timeout=TIMEOUT)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"] == "Not Found"
    assert requests.post(f"{hub.url}/spaces/a/b", data=b"x", timeout=TIMEOUT).status_code == 404


def test_fail_next_is_transient(hub: FakeHub) -> None:
    hub.fail_next(2, status=503, body='{"error": "busy"}', headers={"Retry-After": "1"})
    auth = {"Authorization": "Bearer hf_secret"}
    first = _jwt(hub, headers=auth)
    assert first.status_code == 503
    assert first.json() == {"error": "busy"}
    assert first.headers["Retry-After"] == "1"
    assert _jwt(hub, headers=auth).status_code == 503
    assert _jwt(hub, headers=auth).status_code == 200
    assert len(hub.requests) == 3


def test_fail_always_and_reset(hub: FakeHub) -> None:
    hub.fail_always(502, body="Bad Gateway")
    for _ in range(3):
        response = requests.get(f"{hub.url}/spaces/a/b", timeout=TIMEOUT)
        assert response.status_code == 502
        assert response.text == "Bad Gateway"
        assert response.headers["content-type"].startswith("text/plain")
    hub.reset()
    assert hub.requests == []
    assert requests.get(f"{hub.url}/spaces/a/b", timeout=TIMEOUT).status_code == 200


def test_concurrent_requests_are_all_recorded(hub: FakeHub) -> None:
    def hit() -> None:
        requests.get(f"{hub.url}/spaces/a/b", timeout=TIMEOUT)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(hub.requests) == 8


def test_server_is_shut_down_on_exit() -> None:
    before = set(threading.enumerate())
    with serve_hub() as running:
        url = running.url
        assert requests.get(f"{url}/spaces/a/b", timeout=TIMEOUT).status_code == 200
    assert [t.name for t in threading.enumerate() if t not in before] == []
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/spaces/a/b", timeout=TIMEOUT)


# --- runtime stages, and a Space's front -------------------------------------------------------


def test_runtime_of_an_unscripted_space_is_not_found(hub: FakeHub) -> None:
    answer = requests.get(f"{hub.url}/api/spaces/owner/unknown/runtime", timeout=TIMEOUT)
    assert answer.status_code == 404


def test_runtime_reports_the_scripted_stage(hub: FakeHub) -> None:
    space = hub.add_space("Owner/Paused-Space", "PAUSED")
    answer = requests.get(f"{hub.url}/api/spaces/owner/paused-space/runtime", timeout=TIMEOUT)
    assert answer.status_code == 200
    assert answer.json()["stage"] == "PAUSED"
    space.set_stage("RUNNING")
    answer = requests.get(f"{hub.url}/api/spaces/Owner/Paused-Space/runtime", timeout=TIMEOUT)
    assert answer.json()["stage"] == "RUNNING"


def test_a_front_wakes_its_space_on_a_visit_and_passes_through_once_running(
    hub: FakeHub,
) -> None:
    from hfspace_sdk.testing import serve_space_front

    space = hub.add_space("owner/sleepy", "SLEEPING")
    with serve_space_front(space, upstream=hub.url) as front:
        asleep = requests.get(f"{front.url}/config", timeout=TIMEOUT)
        assert (asleep.status_code, asleep.headers["content-type"]) == (
            503,
            "text/html; charset=utf-8",
        )
        requests.get(f"{front.url}/", timeout=TIMEOUT)  # the visit that wakes it
        assert space.stage == "RUNNING"  # start_seconds=0
        # running: requests reach what is behind the front (here, the hub itself)
        through = requests.get(f"{front.url}/api/spaces/owner/sleepy/runtime", timeout=TIMEOUT)
        assert through.json()["stage"] == "RUNNING"
        space.set_stage("RUNTIME_ERROR")
        crashed = requests.get(f"{front.url}/config", timeout=TIMEOUT)
        assert (crashed.status_code, crashed.text) == (
            503,
            "Your space is in error, check its status on hf.co",
        )
