"""``client.zerogpu_quota()`` on the wire (``responses``): auth, errors, retries, token scope."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
import responses

from hfspace_sdk import Client, MissingAuthError, ProtocolError, ResponseStatusError

HUB = "http://hub.test"
QUOTA_URL = f"{HUB}/api/spaces/zero-gpu/quota"
ANSWER = {"base": 2400, "current": 1810, "resetsAt": "2026-12-06T00:00:00.000Z", "overquotaUsed": 0}
TOKEN = "hf_quota_secret_token"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HF_TOKEN", "HF_ENDPOINT", "HFSPACE_SPACE_URLS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def client(waits: list[float]) -> Iterator[Client]:
    with Client(hub_url=HUB, hf_token=TOKEN, timeout=30, retry_sleep=waits.append) as client:
        yield client


def test_the_quota_is_asked_of_the_hub_with_the_token(
    mocked: responses.RequestsMock, client: Client
) -> None:
    mocked.get(QUOTA_URL, json=ANSWER)
    quota = client.zerogpu_quota()
    assert (quota.base, quota.remaining, quota.overquota_used) == (2400, 1810, 0)
    assert quota.resets_at == datetime(2026, 12, 6, tzinfo=timezone.utc)
    (call,) = mocked.calls
    assert call.request.headers["authorization"] == f"Bearer {TOKEN}"
    assert call.request.method == "GET"


def test_without_a_token_nothing_is_sent(mocked: responses.RequestsMock) -> None:
    mocked.get(QUOTA_URL, json=ANSWER)
    with Client(hub_url=HUB) as client, pytest.raises(MissingAuthError, match="HF_TOKEN"):
        client.zerogpu_quota()
    assert len(mocked.calls) == 0


def test_the_token_from_the_environment_is_used(
    mocked: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    monkeypatch.setenv("HF_ENDPOINT", HUB)
    mocked.get(QUOTA_URL, json=ANSWER)
    with Client() as client:
        assert client.zerogpu_quota().remaining == 1810
    assert mocked.calls[0].request.headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_token_is_missing_auth_not_retried(
    mocked: responses.RequestsMock, client: Client, waits: list[float], status: int
) -> None:
    mocked.get(
        QUOTA_URL, status=status, json={"error": "Invalid credentials in Authorization header"}
    )
    with pytest.raises(MissingAuthError) as caught:
        client.zerogpu_quota()
    assert caught.value.status_code == status
    assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value)
    assert len(mocked.calls) == 1 and waits == []


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("<html>Hugging Face</html>", "not JSON"),
        ('{"base": 2400, "current": 1810, "resetsAt": null}', "overquotaUsed"),
        ('{"base": "lots", "current": 1810, "resetsAt": null, "overquotaUsed": 0}', "'base'"),
        ("[]", "not a JSON object"),
    ],
)
def test_a_malformed_answer_is_a_protocol_error(
    mocked: responses.RequestsMock, client: Client, body: str, named: str
) -> None:
    mocked.get(QUOTA_URL, body=body, content_type="application/json")
    with pytest.raises(ProtocolError, match=named):
        client.zerogpu_quota()


def test_transient_failures_are_retried_then_answered(
    mocked: responses.RequestsMock, client: Client, waits: list[float]
) -> None:
    mocked.get(QUOTA_URL, status=503, json={"error": "Service Unavailable"})
    mocked.get(QUOTA_URL, status=502, body="bad gateway")
    mocked.get(QUOTA_URL, json=ANSWER)
    assert client.zerogpu_quota().base == 2400
    assert len(mocked.calls) == 3 and len(waits) == 2


def test_a_hub_that_keeps_failing_raises_its_status(
    mocked: responses.RequestsMock, client: Client, waits: list[float]
) -> None:
    mocked.get(QUOTA_URL, status=503, json={"error": "Service Unavailable"})
    with pytest.raises(ResponseStatusError) as caught:
        client.zerogpu_quota()
    assert caught.value.status_code == 503 and len(mocked.calls) == 3


def test_the_token_goes_to_the_hub_only(mocked: responses.RequestsMock) -> None:
    """A Space id mapped to a URL gets no HF token from a quota request or its config."""
    space = "http://space.test"
    mocked.get(QUOTA_URL, json=ANSWER)
    mocked.get(f"{space}/config", body="not json")
    with Client(
        hub_url=HUB, hf_token=TOKEN, space_urls={"o/n": space}, retry_sleep=lambda _: None
    ) as c:
        c.zerogpu_quota()
        with pytest.raises(ProtocolError):
            c.space("o/n").queue_status()
    for call in mocked.calls:
        sent = "authorization" in {k.lower() for k in call.request.headers}
        assert sent == call.request.url.startswith(HUB), call.request.url
