"""``client.zerogpu_quota()`` against the fake hub over real HTTP: what is sent, what is read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from hfspace_sdk import Client, MissingAuthError, ProtocolError, ZeroGPUQuota
from hfspace_sdk.testing import FakeHub, serve_hub

TOKEN = "hf_e2e_quota_token"


@pytest.fixture
def quota_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    for name in ("HF_TOKEN", "HF_ENDPOINT", "HFSPACE_SPACE_URLS"):
        monkeypatch.delenv(name, raising=False)
    with serve_hub() as hub:
        yield hub


def test_the_fake_hubs_default_quota(quota_hub: FakeHub) -> None:
    with Client(hub_url=quota_hub.url, hf_token=TOKEN, timeout=10) as client:
        quota = client.zerogpu_quota()
    assert quota == ZeroGPUQuota(2400, 1810, datetime(2026, 12, 6, tzinfo=timezone.utc), 0)
    (request,) = quota_hub.requests
    assert (request.method, request.path) == ("GET", "/api/spaces/zero-gpu/quota")
    assert request.header("authorization") == f"Bearer {TOKEN}"


def test_a_configured_quota_and_a_changed_one(quota_hub: FakeHub) -> None:
    quota_hub.quota = {"base": 1500, "current": 90.5, "resetsAt": None, "overquotaUsed": 12}
    with Client(hub_url=quota_hub.url, hf_token=TOKEN, timeout=10) as client:
        quota = client.zerogpu_quota()
        assert (quota.base, quota.remaining, quota.resets_at, quota.overquota_used) == (
            1500,
            90.5,
            None,
            12,
        )
        assert quota.is_low
        quota_hub.quota = {"base": 1500, "current": "?", "resetsAt": None, "overquotaUsed": 0}
        with pytest.raises(ProtocolError, match="'current'"):
            client.zerogpu_quota()


def test_the_quota_given_to_serve_hub() -> None:
    answer = {"base": 60, "current": 60, "resetsAt": None, "overquotaUsed": 0}
    with serve_hub(quota=answer) as hub, Client(hub_url=hub.url, hf_token=TOKEN) as client:
        assert client.zerogpu_quota().fraction_left == 1.0


def test_the_fake_hub_refuses_a_request_without_a_bearer_token(quota_hub: FakeHub) -> None:
    import requests

    answer = requests.get(f"{quota_hub.url}/api/spaces/zero-gpu/quota", timeout=10)
    assert answer.status_code == 401
    with Client(hub_url=quota_hub.url, timeout=10) as client, pytest.raises(MissingAuthError):
        client.zerogpu_quota()
    assert len(quota_hub.requests) == 1  # the SDK sent nothing without a token


def test_a_hub_that_refuses_the_token_or_fails_once(quota_hub: FakeHub) -> None:
    with Client(
        hub_url=quota_hub.url, hf_token=TOKEN, timeout=10, retry_sleep=lambda _: None
    ) as client:
        quota_hub.fail_next(status=403, body='{"error": "needs Billing > Read billing usage"}')
        with pytest.raises(MissingAuthError) as refused:
            client.zerogpu_quota()
        assert refused.value.status_code == 403
        quota_hub.fail_next(status=503)
        assert client.zerogpu_quota().remaining == 1810
    assert len(quota_hub.requests) == 3
