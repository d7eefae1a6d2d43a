"""The pure side of sleeping and broken Spaces: stage parsing, statuses, advice, poll delays;
and the scripted stages of the testing hub, on a fake clock."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfspace_sdk import HFSpaceError, SpaceNotRunningError
from hfspace_sdk.space_stages import (
    DEAD_STAGES,
    WAIT_STAGES,
    WAKE_STAGES,
    hub_stage_applies,
    not_running_error,
    parse_stage,
    poll_delays,
    says_space_in_error,
    stage_status,
)
from hfspace_sdk.testing import SPACE_STAGES, ScriptedSpace

SPACE = "black-forest-labs/FLUX.1-dev"
HUB = "https://huggingface.co"


@pytest.mark.parametrize(
    ("answer", "stage"),
    [
        ({"stage": "RUNNING", "hardware": {"current": "zero-a10g"}}, "RUNNING"),
        ({"stage": "sleeping"}, "SLEEPING"),
        ({"stage": " PAUSED "}, "PAUSED"),
        ({"stage": ""}, None),
        ({"stage": None}, None),
        ({"stage": 3}, None),
        ({}, None),
        (["RUNNING"], None),
        ("RUNNING", None),
        (None, None),
    ],
)
def test_parse_stage(answer: Any, stage: Any) -> None:
    assert parse_stage(answer) == stage


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), st.lists))
def test_parse_stage_never_raises(answer: Any) -> None:
    assert parse_stage(answer) is None or isinstance(parse_stage(answer), str)


def test_the_stage_groups_cover_the_hubs_stages_once() -> None:
    groups = [WAKE_STAGES, WAIT_STAGES, DEAD_STAGES, frozenset({"RUNNING"})]
    assert frozenset().union(*groups) == SPACE_STAGES
    assert sum(len(group) for group in groups) == len(SPACE_STAGES)


@pytest.mark.parametrize(
    ("stage", "status"),
    [
        ("SLEEPING", f"Waking up {SPACE} (SLEEPING)"),
        ("STOPPED", f"Waking up {SPACE} (STOPPED)"),
        ("BUILDING", f"Waiting for the build of {SPACE} (BUILDING)"),
        ("RUNNING_APP_STARTING", f"Waiting for the start of {SPACE} (RUNNING_APP_STARTING)"),
        ("RUNNING", f"{SPACE} is running (RUNNING)"),
    ],
)
def test_stage_status_names_the_space_and_the_stage(stage: str, status: str) -> None:
    assert stage_status(SPACE, stage) == status


@pytest.mark.parametrize("stage", sorted(DEAD_STAGES))
def test_not_running_error_carries_space_and_stage_and_advice(stage: str) -> None:
    error = not_running_error(SPACE, stage, HUB)
    assert isinstance(error, SpaceNotRunningError) and isinstance(error, HFSpaceError)
    assert (error.space, error.stage) == (SPACE, stage)
    assert str(error).startswith(f"{SPACE} ")
    assert f"(stage {stage})" in str(error)
    assert "space_urls" in str(error)


def test_a_paused_space_is_to_be_duplicated() -> None:
    message = str(not_running_error(SPACE, "PAUSED", HUB))
    assert f"Duplicate it ({HUB}/spaces/{SPACE}" in message
    assert f"space_urls={{'{SPACE}': '<the URL of your copy>'}}" in message


@pytest.mark.parametrize(
    ("body", "in_error"),
    [
        ("Your space is in error, check its status on hf.co", True),
        ({"error": "Your space is in error, check its status on hf.co"}, True),
        ("<html>Your Space is starting</html>", False),
        (None, False),
    ],
)
def test_says_space_in_error(body: Any, in_error: bool) -> None:
    assert says_space_in_error(body) is in_error


@pytest.mark.parametrize(
    ("url", "applies"),
    [
        ("https://black-forest-labs-flux-1-dev.hf.space", True),  # the Space's own host
        ("https://Black-Forest-Labs-FLUX-1-dev.hf.space/", True),
        ("https://you-flux-1-dev.hf.space", False),  # a duplicate: another Space
        ("https://hf.space", False),
        ("http://127.0.0.1:7860", True),  # a local server or proxy standing in for the Space
        ("https://flux.example.com/gradio", True),
    ],
)
def test_the_hubs_stage_is_not_a_duplicates(url: str, applies: bool) -> None:
    assert hub_stage_applies("black-forest-labs/FLUX.1-dev", url) is applies


def test_poll_delays_grow_from_1_to_10_seconds() -> None:
    delays = list(itertools.islice(poll_delays(), 10))
    assert delays[:3] == [1.0, 1.5, 2.25]
    assert delays == sorted(delays)
    assert delays[-1] == 10.0


# --- the testing hub's scripted stages -------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_sleeping_space_sleeps_until_visited_then_starts() -> None:
    clock = FakeClock()
    space = ScriptedSpace(SPACE, "SLEEPING", start_seconds=5, clock=clock)
    clock.now += 1000
    assert space.stage == "SLEEPING"
    space.wake()
    assert (space.stage, space.visits) == ("APP_STARTING", 1)
    clock.now += 4.9
    assert space.stage == "APP_STARTING"
    clock.now += 0.1
    assert space.stage == "RUNNING"
    space.wake()  # a visit to a running Space changes nothing
    assert (space.stage, space.visits) == ("RUNNING", 2)


def test_a_building_space_builds_then_starts_then_runs() -> None:
    clock = FakeClock()
    space = ScriptedSpace(SPACE, "BUILDING", build_seconds=3, start_seconds=2, clock=clock)
    clock.now += 2.9
    assert space.stage == "BUILDING"
    clock.now += 0.1
    assert space.stage == "APP_STARTING"
    clock.now += 2
    assert space.stage == "RUNNING"


def test_a_paused_space_stays_paused_until_changed() -> None:
    clock = FakeClock()
    space = ScriptedSpace(SPACE, "PAUSED", clock=clock)
    space.wake()
    clock.now += 10_000
    assert space.stage == "PAUSED"
    space.set_stage("RUNNING")
    assert space.runtime()["stage"] == "RUNNING"


def test_an_unknown_stage_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown Space stage 'ASLEEP'"):
        ScriptedSpace(SPACE, "ASLEEP")
