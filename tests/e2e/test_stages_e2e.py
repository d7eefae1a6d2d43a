"""Sleeping, building, paused and crashed Spaces, end to end: the fake hub reports the stage, a
front serves the Space's URL as ``*.hf.space`` would, and a real look-alike runs behind it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest

from hfspace_sdk import (
    Client,
    FluxDev,
    ImageResponse,
    Reasoning,
    SpaceNotRunningError,
    SpaceTimeoutError,
    Timeout,
)
from hfspace_sdk.testing import FakeHub, ScriptedSpace, SpaceFront, serve_space_front

SPACE = "roxky/FLUX.1-dev"
PROMPT = [{"role": "user", "content": "a lighthouse"}]


@pytest.fixture
def fresh_hub(hub: FakeHub) -> FakeHub:
    hub.reset()
    return hub


@contextmanager
def fronted(
    hub: FakeHub, lookalikes: Mapping[str, str], stage: str, **timing: float
) -> Iterator[tuple[ScriptedSpace, SpaceFront]]:
    space = hub.add_space(SPACE, stage, **timing)
    with serve_space_front(space, lookalikes["flux-dev"]) as front:
        yield space, front


def _generate(hub: FakeHub, front: SpaceFront, **options: Any) -> list[object]:
    with FluxDev(hub_url=hub.url, space_urls={SPACE: front.url}, **options) as provider:
        return list(provider.create_completion("flux-dev", PROMPT, num_inference_steps=2))


def _stage_statuses(events: list[object]) -> list[str]:
    return [
        event.status
        for event in events
        if isinstance(event, Reasoning) and event.status and SPACE in event.status
    ]


def test_a_sleeping_space_is_woken_and_then_runs_the_job(
    fresh_hub: FakeHub, lookalikes: Mapping[str, str]
) -> None:
    with fronted(fresh_hub, lookalikes, "SLEEPING", start_seconds=2.0) as (space, front):
        events = _generate(fresh_hub, front, timeout=60)
    assert isinstance(events[-1], ImageResponse)
    assert space.visits == 1  # one visit woke it
    statuses = _stage_statuses(events)
    assert statuses[0] == f"Waking up {SPACE} (SLEEPING)"
    assert statuses[-1] == f"{SPACE} is running (RUNNING)"
    assert f"Waiting for the start of {SPACE} (APP_STARTING)" in statuses
    runtime_asks = [r for r in fresh_hub.requests if r.path.endswith("/runtime")]
    assert len(runtime_asks) >= 2


def test_a_building_space_is_waited_for_without_a_visit(
    fresh_hub: FakeHub, lookalikes: Mapping[str, str]
) -> None:
    with fronted(fresh_hub, lookalikes, "BUILDING", build_seconds=4.0) as (space, front):
        events = _generate(fresh_hub, front, timeout=60)
    assert isinstance(events[-1], ImageResponse)
    assert space.visits == 0
    assert _stage_statuses(events)[0] == f"Waiting for the build of {SPACE} (BUILDING)"


@pytest.mark.parametrize("stage", ["PAUSED", "BUILD_ERROR", "RUNTIME_ERROR", "NO_APP_FILE"])
def test_a_space_that_cannot_run_fails_at_once(
    fresh_hub: FakeHub, lookalikes: Mapping[str, str], stage: str
) -> None:
    with (
        fronted(fresh_hub, lookalikes, stage) as (_, front),
        pytest.raises(SpaceNotRunningError) as caught,
    ):
        _generate(fresh_hub, front, timeout=30)
    assert (caught.value.space, caught.value.stage) == (SPACE, stage)
    assert "space_urls" in str(caught.value)
    runtime_asks = [r for r in fresh_hub.requests if r.path.endswith("/runtime")]
    # a crash says so on the Space's own URL: the hub is not even asked
    assert len(runtime_asks) == (0 if stage == "RUNTIME_ERROR" else 1)


def test_a_paused_space_tells_how_to_use_a_duplicate(
    fresh_hub: FakeHub, lookalikes: Mapping[str, str]
) -> None:
    with (
        fronted(fresh_hub, lookalikes, "PAUSED") as (_, front),
        Client(hub_url=fresh_hub.url, space_urls={SPACE: front.url}, timeout=30) as client,
        pytest.raises(SpaceNotRunningError, match="Duplicate it") as caught,
    ):
        client.images.generate("a lighthouse", model="flux-dev", provider="FluxDev")
    assert caught.value.stage == "PAUSED"


def test_a_space_that_does_not_wake_in_time_names_its_stage(
    fresh_hub: FakeHub, lookalikes: Mapping[str, str]
) -> None:
    timeout = Timeout(connect=2, read=10, total=30, wake=1.5)
    starting_too_long = fronted(fresh_hub, lookalikes, "SLEEPING", start_seconds=60)
    with starting_too_long as (_, front), pytest.raises(SpaceTimeoutError) as caught:
        _generate(fresh_hub, front, timeout=timeout)
    assert "still APP_STARTING after 1.5 s" in str(caught.value)


def test_the_generic_client_waits_for_a_sleeping_space_too(
    fresh_hub: FakeHub, lookalikes: Mapping[str, str]
) -> None:
    with (
        fronted(fresh_hub, lookalikes, "SLEEPING") as (space, front),
        Client(hub_url=fresh_hub.url, space_urls={SPACE: front.url}, timeout=60) as client,
    ):
        endpoints = client.space(SPACE).api()
    assert "/infer" in {endpoint.api_name for endpoint in endpoints}
    assert space.visits == 1


def test_a_space_that_fell_asleep_after_a_job_is_woken_for_the_next_one(
    fresh_hub: FakeHub, lookalikes: Mapping[str, str]
) -> None:
    running = fronted(fresh_hub, lookalikes, "RUNNING", start_seconds=1.5)
    with running as (space, front), FluxDev(
        hub_url=fresh_hub.url, space_urls={SPACE: front.url}, timeout=60
    ) as flux:
        first = list(flux.create_completion("flux-dev", PROMPT, num_inference_steps=2))
        space.set_stage("SLEEPING")  # the client keeps the /config it read
        second = list(flux.create_completion("flux-dev", PROMPT, num_inference_steps=2))
    assert isinstance(first[-1], ImageResponse) and isinstance(second[-1], ImageResponse)
    assert _stage_statuses(second)[0] == f"Waking up {SPACE} (SLEEPING)"
    assert space.visits == 1
    # the join the sleeping Space refused never reached the app: each job joined once
    joins = [line for line in front.passed_through if line.endswith("/queue/join")]
    assert len(joins) == 2
