"""Replicas of one Space (``space_urls`` lists): spread, failover before acceptance, never twice.

Each replica is a fault server of its own, so that what each one received can be counted. A
job that a replica refused (down, 5xx, full queue) moves to another; one a replica accepted
never does.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fault_calls import PREFIX, PROMPT, json_handler, status_handler
from fault_server import FaultServer, closed_port

from hfspace_sdk import AllReplicasFailedError, Client, ImageResponse, ResponseStatusError
from hfspace_sdk.cli import main

SCHNELL = "black-forest-labs/FLUX.1-schnell"
DEV = "black-forest-labs/FLUX.1-dev"
QUEUE_FULL = {"detail": "Queue is full. Max size is 1 and size is 1."}


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HF_TOKEN", "HF_ENDPOINT", "HFSPACE_SPACE_URLS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def replicas() -> Iterator[list[FaultServer]]:
    """Three fault servers, each a replica of the Spaces."""
    with ExitStack() as stack:
        yield [stack.enter_context(FaultServer()) for _ in range(3)]


def _client(urls: list[str], **options: Any) -> Client:
    """A client with ``urls`` as the replicas of FLUX.1-schnell and FLUX.1-dev; waits recorded."""
    hub = options.pop("hub_url", f"http://127.0.0.1:{closed_port()}")
    return Client(
        space_urls={SCHNELL: urls, DEV: urls},
        hub_url=hub,
        timeout=10,
        retry_sleep=lambda seconds: None,
        **options,
    )


def _lines(server: FaultServer, pattern: str) -> list[Any]:
    return [r for r in server.requests if re.fullmatch(pattern, r.line)]


def _generate_many(client: Client, count: int, provider: str = "BlackForestLabs_Flux1Schnell"):
    model = "flux-dev" if "Dev" in provider else "flux"
    prompts = [f"{PROMPT} {index}" for index in range(count)]
    return list(
        client.images.generate_many(prompts, max_concurrency=4, provider=provider, model=model)
    )


def test_jobs_spread_over_every_replica(replicas: list[FaultServer]) -> None:
    with _client([server.url for server in replicas]) as client:
        outcomes = _generate_many(client, 16)
    assert [outcome.error for outcome in outcomes] == [None] * 16
    served = [len(_lines(server, f"POST {PREFIX}/call/infer")) for server in replicas]
    assert sum(served) == 16 and min(served) >= 1, served
    # each image comes from the replica that took its job
    hosts = Counter(outcome.response.data[0].url.split(PREFIX)[0] for outcome in outcomes)
    assert hosts == Counter({server.url: count for server, count in zip(replicas, served)})


def test_a_replica_that_is_down_is_skipped_and_rested(replicas: list[FaultServer]) -> None:
    down, *up = replicas
    down.route("GET", "/config", status_handler(503))
    with _client([server.url for server in replicas]) as client:
        first = _generate_many(client, 8)
        tried = len(down.requests)
        second = _generate_many(client, 8)
    assert [outcome.error for outcome in first + second] == [None] * 16
    assert tried >= 3  # /config, 3 tries, at least once
    assert len(down.requests) == tried  # rested: the second batch never went there
    assert sum(len(_lines(server, f"POST {PREFIX}/call/infer")) for server in up) == 16


def test_when_every_replica_fails_the_error_names_each(replicas: list[FaultServer]) -> None:
    refusing, full = replicas[:2]
    refusing.route("POST", f"{PREFIX}/call/infer", status_handler(500))
    full.route("POST", f"{PREFIX}/call/infer", json_handler(QUEUE_FULL, status=503))
    dead = f"http://127.0.0.1:{closed_port()}"
    with (
        _client([refusing.url, full.url, dead]) as client,
        pytest.raises(AllReplicasFailedError) as caught,
    ):
        client.images.generate(PROMPT, provider="BlackForestLabs_Flux1Schnell", model="flux")
    error = caught.value
    assert error.space == SCHNELL
    assert set(error.errors) == {refusing.url, full.url, dead}
    for url in error.errors:
        assert url in str(error)
    assert isinstance(error.errors[full.url], ResponseStatusError)
    # each replica that answered was asked once: nothing is sent twice to one replica
    assert len(_lines(refusing, f"POST {PREFIX}/call/infer")) == 1
    assert len(_lines(full, f"POST {PREFIX}/call/infer")) == 1


def test_a_full_queue_moves_the_job_to_another_replica(replicas: list[FaultServer]) -> None:
    full, free = replicas[:2]
    full.route("POST", f"{PREFIX}/queue/join", json_handler(QUEUE_FULL, status=503))
    with _client([full.url, free.url]) as client:
        events = list(client.submit("flux-dev", PROMPT, provider="BlackForestLabs_Flux1Dev"))
    final = events[-1]
    assert isinstance(final, ImageResponse)
    assert final.options["replica"] == free.url
    assert len(_lines(free, f"POST {PREFIX}/queue/join")) == 1
    assert len(_lines(full, f"POST {PREFIX}/queue/join")) <= 1


def test_a_job_a_replica_accepted_never_goes_to_another(replicas: list[FaultServer]) -> None:
    first, second = replicas[:2]
    for server in (first, second):  # whichever the job goes to accepts it, then fails it
        server.route("GET", f"{PREFIX}/call/infer/[^/]+", status_handler(500))
    with _client([first.url, second.url]) as client, pytest.raises(ResponseStatusError):
        client.images.generate(PROMPT, provider="BlackForestLabs_Flux1Schnell", model="flux")
    calls = [len(_lines(server, f"POST {PREFIX}/call/infer")) for server in (first, second)]
    assert sorted(calls) == [0, 1]


def test_credentials_and_sessions_stay_with_their_replica(replicas: list[FaultServer]) -> None:
    hub, *spaces = replicas
    with _client([space.url for space in spaces], hub_url=hub.url, hf_token="hf_secret") as c:
        outcomes = _generate_many(c, 8, provider="BlackForestLabs_Flux1Dev")
    assert [outcome.error for outcome in outcomes] == [None] * 8
    assert len(_lines(hub, "GET /api/spaces/[^ ]+/jwt")) == 8  # a token for each job
    for space in spaces:
        assert all("authorization" not in r.headers for r in space.requests)
        joins = _lines(space, f"POST {PREFIX}/queue/join")
        assert joins and all(r.headers["x-zerogpu-token"] == "fault-jwt" for r in joins)
        joined = {r.json()["session_hash"] for r in joins}
        streamed = {r.query["session_hash"] for r in _lines(space, f"GET {PREFIX}/queue/data")}
        assert streamed == joined  # each job's stream went where its join went


@pytest.mark.parametrize("how", ["environment", "command line"])
def test_replicas_from_the_environment_and_the_command_line(
    replicas: list[FaultServer], monkeypatch: pytest.MonkeyPatch, tmp_path: Any, how: str
) -> None:
    up = replicas[0]
    down = f"http://127.0.0.1:{closed_port()}"
    pairs = [f"{SCHNELL}={up.url}", f"{SCHNELL}={down}"]  # only the first is up
    monkeypatch.setenv("HF_ENDPOINT", down)
    if how == "environment":
        monkeypatch.setenv("HFSPACE_SPACE_URLS", ",".join(pairs))
        arguments: list[str] = []
    else:
        arguments = [option for pair in pairs for option in ("--space-url", pair)]
    output = str(tmp_path / "fox.png")
    provider = ["--provider", "BlackForestLabs_Flux1Schnell"]
    code = main(["generate", PROMPT, "--model", "flux", *provider, "-o", output, *arguments])
    assert code == 0
    assert len(_lines(up, f"POST {PREFIX}/call/infer")) == 1
