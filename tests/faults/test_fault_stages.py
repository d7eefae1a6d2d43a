"""Sleeping, starting and broken Spaces, as the hub reports them; and the ZeroGPU quota answers.

The fault server is the Space and the hub at once: ``/config`` fails as a Space that is not
running does, ``/api/spaces/{id}/runtime`` says the stage, ``/`` is the Space's page (a visit
wakes a sleeping Space). Waits go to a recorder (the ``retry_sleep`` option) except where the
scenario measures a real ``timeout.wake``.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fault_calls import PREFIX, flux_schnell, json_handler, status_handler
from fault_case import Case
from fault_scenarios import DEAD_STAGES, HUB_SILENT, WAITED_STAGES
from fault_server import CONFIG, Connection, FaultServer, Handler, Request, sequence

from hfspace_sdk import (
    BlackForestLabs_Flux1Dev,
    BlackForestLabs_Flux1Schnell,
    Client,
    ImageResponse,
    Reasoning,
    SpaceNotRunningError,
    Timeout,
)

SPACE = "black-forest-labs/FLUX.1-schnell"
RUNTIME = r"/api/spaces/[^/]+/[^/]+/runtime"
MESSAGES = [{"role": "user", "content": "a red fox in the snow"}]
PAGE = "<!DOCTYPE html><html><body>This Space is sleeping</body></html>"
CONFIG_503 = status_handler(503, PAGE, "text/html; charset=utf-8")


def _stages(*stages: str) -> Handler:
    return sequence(*(json_handler({"stage": stage}) for stage in stages))


def _generate(case: Case, sleeps: list[float], **options: Any) -> list[Any]:
    with case.provider(BlackForestLabs_Flux1Schnell, sleep=sleeps.append, **options) as flux:
        return list(flux.create_completion("flux", MESSAGES))


def _space_down(server: FaultServer, runtime: Handler, *, tries_failing: int = 3) -> None:
    """/config fails ``tries_failing`` times (then answers); the hub answers with ``runtime``."""
    failing = [CONFIG_503] * tries_failing
    server.route("GET", "/config", sequence(*failing, json_handler(CONFIG)))
    server.route("GET", RUNTIME, runtime)
    server.route("GET", "/", status_handler(200, PAGE, "text/html; charset=utf-8"))


@pytest.mark.parametrize("stage", list(WAITED_STAGES))
def test_a_space_that_is_not_yet_running_is_waited_for(
    case: Case, server: FaultServer, stage: str
) -> None:
    case.start(f"stage-{stage.lower()}")
    _space_down(server, _stages(stage, "APP_STARTING", "RUNNING"))
    sleeps: list[float] = []
    events = case.result(lambda: _generate(case, sleeps))
    statuses = [e.status for e in events if isinstance(e, Reasoning) and SPACE in (e.status or "")]
    assert statuses[0].endswith(f"{SPACE} ({stage})")
    assert statuses[-1] == f"{SPACE} is running (RUNNING)"
    assert len(statuses) == len(dict.fromkeys([stage, "APP_STARTING", "RUNNING"]))
    # two /config backoffs, then the polls: 1 s, then 1.5 s
    assert sleeps[-2:] == [1.0, 1.5]


@pytest.mark.parametrize("stage", list(DEAD_STAGES))
def test_a_space_that_cannot_run_ends_the_job_at_once(
    case: Case, server: FaultServer, stage: str
) -> None:
    case.start(f"stage-{stage.lower()}")
    _space_down(server, _stages(stage))
    sleeps: list[float] = []
    kept: list[BaseException] = []
    case.error(lambda: _generate(case, sleeps), keep=kept)
    (error,) = kept
    assert isinstance(error, SpaceNotRunningError)
    assert (error.space, error.stage) == (SPACE, stage)


@pytest.mark.parametrize("answer", list(HUB_SILENT))
def test_a_hub_that_cannot_tell_leaves_the_spaces_error(
    case: Case, server: FaultServer, answer: str
) -> None:
    case.start(f"stage-hub-{answer}")
    runtime = {
        "401": status_handler(401, '{"error": "Invalid username or password."}'),
        "500": status_handler(500),
        "garbled": status_handler(200, PAGE, "text/html; charset=utf-8"),
        "running": _stages("RUNNING"),
    }[answer]
    _space_down(server, runtime, tries_failing=99)
    case.error(lambda: _generate(case, []))


def test_a_space_in_error_is_not_waited_for_whatever_the_hub_says(
    case: Case, server: FaultServer
) -> None:
    case.start("stage-in-error")
    in_error = status_handler(503, "Your space is in error, check its status on hf.co")
    server.route("GET", "/config", in_error)
    server.route("GET", RUNTIME, _stages("RUNNING"))
    case.error(lambda: _generate(case, []))


def test_a_space_that_does_not_wake_within_the_wake_timeout(
    case: Case, server: FaultServer
) -> None:
    case.start("stage-wake-timeout")
    _space_down(server, _stages("SLEEPING"), tries_failing=99)
    with Client(**case.options()) as client:
        case.error(lambda: flux_schnell(client))


def test_the_hub_gets_the_token_and_the_space_does_not(case: Case, server: FaultServer) -> None:
    case.start("stage-sleeping")
    _space_down(server, _stages("SLEEPING", "APP_STARTING", "RUNNING"))
    case.result(lambda: _generate(case, [], hf_token="hf_stage_secret"))
    runtime_asks = [r for r in server.requests if r.path.endswith("/runtime")]
    assert {r.headers.get("authorization") for r in runtime_asks} == {"Bearer hf_stage_secret"}
    to_space = [r for r in server.requests if not r.path.startswith("/api/")]
    assert all("authorization" not in r.headers for r in to_space)


def test_cancel_while_waiting_for_a_space_to_wake(case: Case, server: FaultServer) -> None:
    case.start("stage-cancel-while-waking")
    visited = threading.Event()

    def visit(conn: Connection, request: Request) -> None:
        visited.set()
        conn.respond(200, PAGE, "text/html; charset=utf-8")

    _space_down(server, _stages("SLEEPING"), tries_failing=99)
    server.route("GET", "/", visit)
    with Client(**case.options()) as client:  # real waits: the cancel comes during one
        job = client.submit("flux", MESSAGES, provider="BlackForestLabs_Flux1Schnell")
        assert visited.wait(10)
        job.cancel()
        case.error(job.result)


# --- a Space that stopped after its /config was read ------------------------------------------


def _join_after_stage(case: Case, server: FaultServer, *stages: str) -> list[Any]:
    """FLUX.1-dev's join answered 503 HTML once (then accepted); the hub says ``stages``."""
    server.route("POST", f"{PREFIX}/queue/join", sequence(CONFIG_503, server.queue_join))
    server.route("GET", RUNTIME, _stages(*stages))
    server.route("GET", "/", status_handler(200, PAGE, "text/html; charset=utf-8"))
    with case.provider(BlackForestLabs_Flux1Dev, sleep=[].append) as flux:
        return list(flux.create_completion("flux-dev", MESSAGES))


def test_a_space_asleep_since_its_config_is_woken_and_gets_the_job_once(
    case: Case, server: FaultServer
) -> None:
    case.start("stage-asleep-since-config")
    events = case.result(lambda: _join_after_stage(case, server, "SLEEPING", "RUNNING"))
    assert isinstance(events[-1], ImageResponse)


@pytest.mark.parametrize(
    ("key", "stage"),
    [
        ("stage-paused-since-config", "PAUSED"),
        ("stage-running-since-config", "RUNNING_APP_STARTING"),
    ],
)
def test_a_space_stopped_since_its_config_gets_nothing_twice(
    case: Case, server: FaultServer, key: str, stage: str
) -> None:
    case.start(key)
    case.error(lambda: _join_after_stage(case, server, stage))


# --- the ZeroGPU quota ----------------------------------------------------------------------

QUOTA = r"/api/spaces/zero-gpu/quota"
QUOTA_ANSWER = {"base": 2400, "current": 1810, "resetsAt": None, "overquotaUsed": 0}


def _quota(case: Case, sleeps: list[float]) -> Any:
    with Client(**case.options(hf_token="hf_quota", retry_sleep=sleeps.append)) as client:
        return client.zerogpu_quota()


def test_quota_answer(case: Case, server: FaultServer) -> None:
    case.start("quota-ok")
    server.route("GET", QUOTA, json_handler(QUOTA_ANSWER))
    quota = case.result(lambda: _quota(case, []))
    assert (quota.base, quota.remaining, quota.resets_at) == (2400, 1810, None)


@pytest.mark.parametrize(
    ("key", "handler"),
    [
        ("quota-401", json_handler({"error": "Invalid credentials in Authorization header"}, 401)),
        ("quota-malformed", json_handler({**QUOTA_ANSWER, "current": "?"})),
        ("quota-503", status_handler(503)),
    ],
)
def test_quota_failures(case: Case, server: FaultServer, key: str, handler: Handler) -> None:
    case.start(key)
    server.route("GET", QUOTA, handler)
    sleeps: list[float] = []
    case.error(lambda: _quota(case, sleeps))
    assert len(sleeps) == (2 if key == "quota-503" else 0)


def test_timeout_wake_is_part_of_the_timeout() -> None:
    assert Timeout(wake=5).wake == 5
    assert Timeout.coerce(60).wake == 60  # a number caps the wait for a Space too
