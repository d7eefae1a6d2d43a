"""ZeroGPU credentials: anonymous default, hub jwt with retries, page scrape, secrets kept in place."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest
import requests

from hfspace_sdk.config import Settings
from hfspace_sdk.errors import MissingAuthError, ProtocolError, ResponseStatusError
from hfspace_sdk.http import HttpClient
from hfspace_sdk.zerogpu import (
    ANONYMOUS_TOKEN,
    ZeroGPUCredentials,
    acquire_zerogpu_credentials,
    jwt_url,
    parse_jwt_answer,
    parse_space_page,
)

HUB = "http://hub.test"
JWT = re.compile(rf"{HUB}/api/spaces/owner/space/jwt\?expiration=.*&include_pro_status=true")
PAGE = '<div data-props="{&quot;token&quot;:&quot;page-token&quot;,&quot;sessionUuid&quot;:&quot;uuid-1&quot;}">'


class FakeSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _acquire(settings: Settings, sleep: FakeSleep, **kwargs: Any) -> ZeroGPUCredentials:
    http = HttpClient(settings)
    try:
        return acquire_zerogpu_credentials(http, settings, "owner/space", sleep=sleep, **kwargs)
    finally:
        http.close()


def test_jwt_url_asks_for_ten_minutes():
    now = datetime(2025, 5, 6, 12, 24, 56, 789000, tzinfo=timezone.utc)
    assert jwt_url(HUB, "owner/space", now) == (
        f"{HUB}/api/spaces/owner/space/jwt?expiration=2025-05-06T12%3A34%3A56.789%2B00%3A00&include_pro_status=true"
    )


def test_page_scrape_finds_token_and_uuid():
    assert parse_space_page(PAGE) == ("page-token", "uuid-1")
    assert parse_space_page("<html>nothing</html>") == (None, None)


def test_jwt_answer_without_token_is_a_protocol_error():
    assert parse_jwt_answer({"token": "abc"}) == "abc"
    with pytest.raises(ProtocolError):
        parse_jwt_answer({"error": "?"})


def test_anonymous_with_known_uuid_sends_nothing(mocked):
    credentials = _acquire(
        Settings.from_options(environ={}, hub_url=HUB), FakeSleep(), uuid=ANONYMOUS_TOKEN
    )
    assert credentials.headers() == {
        "x-zerogpu-token": ANONYMOUS_TOKEN,
        "x-zerogpu-uuid": ANONYMOUS_TOKEN,
    }
    assert len(mocked.calls) == 0


def test_first_turn_reads_the_space_page(mocked):
    mocked.get(f"{HUB}/spaces/owner/space", body=PAGE, content_type="text/html")
    credentials = _acquire(Settings.from_options(environ={}, hub_url=HUB), FakeSleep(), uuid=None)
    assert (credentials.token, credentials.uuid) == ("page-token", "uuid-1")
    assert "authorization" not in mocked.calls[0].request.headers


def test_hf_token_gets_a_jwt_from_the_hub_only(mocked):
    mocked.get(JWT, json={"token": "jwt-1"})
    settings = Settings.from_options(environ={"HF_TOKEN": "hf_secret"}, hub_url=HUB)
    credentials = _acquire(settings, FakeSleep(), uuid=ANONYMOUS_TOKEN)
    assert credentials.token == "jwt-1"
    assert mocked.calls[0].request.headers["authorization"] == "Bearer hf_secret"
    assert "jwt-1" not in repr(credentials) and "***" in repr(credentials)


def test_cookies_get_a_jwt(mocked):
    mocked.get(JWT, json={"token": "jwt-2"})
    credentials = _acquire(
        Settings.from_options(environ={}, hub_url=HUB),
        FakeSleep(),
        uuid="u",
        cookies={"token": "c"},
    )
    assert credentials.token == "jwt-2"
    assert mocked.calls[0].request.headers["cookie"] == "token=c"


def test_transient_hub_failures_are_retried_without_waiting(mocked):
    mocked.get(JWT, status=503, body="busy")
    mocked.get(JWT, body=requests.ConnectionError("Connection refused"))
    mocked.get(JWT, json={"token": "jwt-3"})
    sleep = FakeSleep()
    credentials = _acquire(
        Settings.from_options(environ={"HF_TOKEN": "hf_x"}, hub_url=HUB), sleep, uuid="u"
    )
    assert credentials.token == "jwt-3"
    assert len(mocked.calls) == 3
    assert len(sleep.waits) == 2 and all(0 < wait <= 8 for wait in sleep.waits)


def test_retry_after_is_honoured_up_to_the_cap(mocked):
    mocked.get(JWT, status=429, json={"error": "slow down"}, headers={"Retry-After": "5"})
    mocked.get(JWT, json={"token": "jwt-4"})
    sleep = FakeSleep()
    _acquire(Settings.from_options(environ={"HF_TOKEN": "hf_x"}, hub_url=HUB), sleep, uuid="u")
    assert sleep.waits == [5.0]


def test_persistent_failure_gives_up_after_three_tries(mocked):
    mocked.get(JWT, status=502, body="bad gateway")
    sleep = FakeSleep()
    with pytest.raises(ResponseStatusError) as caught:
        _acquire(Settings.from_options(environ={"HF_TOKEN": "hf_x"}, hub_url=HUB), sleep, uuid="u")
    assert caught.value.status_code == 502
    assert len(mocked.calls) == 3 and len(sleep.waits) == 2


def test_rejected_credentials_are_not_retried(mocked):
    mocked.get(JWT, status=401, json={"error": "Invalid credentials in Authorization header"})
    sleep = FakeSleep()
    with pytest.raises(MissingAuthError, match="Invalid credentials") as caught:
        _acquire(
            Settings.from_options(environ={"HF_TOKEN": "hf_bad"}, hub_url=HUB), sleep, uuid="u"
        )
    assert len(mocked.calls) == 1 and sleep.waits == []
    assert "hf_bad" not in str(caught.value)


def test_unreadable_page_falls_back_to_anonymous(mocked):
    mocked.get(f"{HUB}/spaces/owner/space", status=404, body="not found")
    credentials = _acquire(Settings.from_options(environ={}, hub_url=HUB), FakeSleep(), uuid=None)
    assert credentials.headers() == {"x-zerogpu-token": ANONYMOUS_TOKEN}
