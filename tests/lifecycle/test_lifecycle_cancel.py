"""Cancel in every phase of a job, for every protocol where the phase exists.

Each test reaches one phase (its requests held by the stub Space, or a slow look-alike), then
checks that ``cancel()`` returns at once, that ``result()`` and iteration raise
``JobCancelledError``, that the worker thread is freed (the thread set is back to its baseline
after ``close()``), and, once the Space knows the job, that the Space was asked to cancel it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from lifecycle_support import (
    CANCEL_REQUEST,
    PREFIX,
    EventPump,
    StubSpace,
    assert_no_threads_left,
    extra_threads,
    join_extra_threads,
    queue_size,
    stub_options,
    threads,
    timed,
    wait_until,
    watching_logs,
)

from hfspace_sdk import Client, ImageResponse, Reasoning
from hfspace_sdk.errors import JobCancelledError, SpaceError
from hfspace_sdk.jobs import Job

PROMPT_CANCEL_LIMIT = 2.0  # seconds cancel() may take (it should take microseconds)
END_LIMIT = 5.0  # seconds for a cancelled job's result()/iteration to end


@dataclass(frozen=True)
class Route:
    """One way to run a generation: which provider and model, and the paths it uses."""

    name: str
    provider: str
    model: str
    submit_path: str
    params: tuple[tuple[str, Any], ...] = ()

    def submit(self, client: Client, prompt: str) -> Job:
        return client.submit(self.model, prompt, provider=self.provider, **dict(self.params))


CALL = Route(
    "call",
    "BlackForestLabs_Flux1Schnell",
    "flux",
    f"{PREFIX}/call/infer",
    (("width", 256), ("height", 256)),
)
QUEUE = Route(
    "queue",
    "BlackForestLabs_Flux1Dev",
    "flux-dev",
    f"{PREFIX}/queue/join",
    (("width", 256), ("height", 256)),
)
JANUS = Route("janus", "DeepseekAI_JanusPro7b", "janus-pro-7b", f"{PREFIX}/queue/join")
PREDICT = Route(
    "predict", "G4F", "flux-schnell", f"{PREFIX}/run/predict", (("width", 256), ("height", 256))
)
ROUTES = [CALL, QUEUE, JANUS, PREDICT]


def carries(prompt: str):
    """A stub-request predicate: the request body mentions ``prompt``."""
    return lambda request: prompt.encode() in request.body


def cancel_and_check(job: Job, events: Iterator[Any] | None = None) -> None:
    """Cancel: prompt, True, and the job's result and iteration raise JobCancelledError.

    ``events``: the job's iterator, when the test already started iterating it.
    """
    cancelled, seconds = timed(job.cancel)
    assert cancelled is True
    assert seconds < PROMPT_CANCEL_LIMIT, f"cancel() took {seconds:.2f} s"
    (error, seconds) = timed(lambda: _error_of(job))
    assert isinstance(error, JobCancelledError), f"result() gave {error!r}"
    assert seconds < END_LIMIT, f"the cancelled job took {seconds:.2f} s to end"
    with pytest.raises(JobCancelledError):
        for _ in job if events is None else events:
            pass
    assert job.done() and job.cancelled()
    assert job.cancel() is False, "a second cancel finds the job finished"


def _error_of(job: Job) -> BaseException | None:
    try:
        job.result(timeout=END_LIMIT)
    except BaseException as exc:  # what the test inspects
        return exc
    return None


def close_and_check_threads(client: Client, before: set[threading.Thread]) -> None:
    _, seconds = timed(client.close)
    assert seconds < PROMPT_CANCEL_LIMIT, f"close() took {seconds:.2f} s"
    assert_no_threads_left(before)


# --- before the job starts ------------------------------------------------------------------


def test_cancel_a_job_queued_behind_a_busy_pool_never_sends_it(stub: StubSpace):
    stub.reset(hold={"submit"})
    before = threads()
    client = Client(**stub_options(stub, max_workers=1))
    busy = CALL.submit(client, "busy")
    stub.wait_for(carries("busy"), what="the busy job's submission")
    waiting = CALL.submit(client, "waiting")

    cancel_and_check(waiting)
    assert [r for r in stub.requests if b"waiting" in r.body] == [], "it never ran"
    cancel_and_check(busy)  # the pool's one worker was the busy job's all along
    close_and_check_threads(client, before)


# --- /config --------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_cancel_while_reading_config(stub: StubSpace, route: Route):
    stub.reset(hold={"config"})
    before = threads()
    client = Client(**stub_options(stub))
    job = route.submit(client, "config phase")
    stub.wait_path("GET", "/config")

    cancel_and_check(job)
    assert not any(r.path == route.submit_path for r in stub.requests), "nothing was submitted"
    close_and_check_threads(client, before)


def test_cancel_a_job_waiting_for_another_jobs_config_read(stub: StubSpace):
    stub.reset(hold={"config"})
    before = threads()
    client = Client(**stub_options(stub, max_workers=2))
    try:
        first = CALL.submit(client, "first")
        stub.wait_path("GET", "/config")
        second = CALL.submit(client, "second")  # blocks on the Space's /config lock
        _, seconds = timed(second.cancel)
        assert seconds < PROMPT_CANCEL_LIMIT
        with pytest.raises(JobCancelledError):
            second.result(timeout=1.5)  # TimeoutError: still stuck behind the lock
    finally:
        client.close()
    assert join_extra_threads(before) == []
    assert first.cancelled()


# --- the ZeroGPU token from the hub ---------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "options", "hub_path"),
    [
        (PREDICT, {}, r"/spaces/roxky/g4f-flux"),  # G4F reads the Space page for a session uuid
        (JANUS, {}, r"/spaces/deepseek-ai/Janus-Pro-7B"),
        (QUEUE, {"hf_token": "hf_lifecycle"}, r"/api/spaces/black-forest-labs/FLUX.1-dev/jwt"),
    ],
    ids=["g4f-page", "janus-page", "flux-dev-jwt"],
)
def test_cancel_while_asking_the_hub_for_a_zerogpu_token(
    stub: StubSpace, route: Route, options: dict[str, Any], hub_path: str
):
    stub.reset(hold={"hub"})
    before = threads()
    client = Client(**stub_options(stub, **options))
    job = route.submit(client, "hub phase")
    stub.wait_path("GET", hub_path)

    cancel_and_check(job)
    hub_requests = [r for r in stub.requests if r.path.startswith(("/spaces/", "/api/spaces/"))]
    assert len(hub_requests) == 1, "a cancelled token request is not retried"
    assert not any(r.path == route.submit_path for r in stub.requests)
    close_and_check_threads(client, before)


# --- submission: the Space accepted the connection and never answers ------------------------


@pytest.mark.parametrize("route", [CALL, QUEUE, JANUS, PREDICT], ids=lambda r: r.name)
def test_cancel_while_the_submission_waits_for_its_answer(stub: StubSpace, route: Route):
    stub.reset(hold={"submit"})  # run/predict is always held: its answer is the image
    before = threads()
    client = Client(**stub_options(stub))
    job = route.submit(client, "submit phase")
    stub.wait_path("POST", route.submit_path)

    cancel_and_check(job)
    assert len([r for r in stub.requests if r.path == route.submit_path]) == 1, "never resent"
    assert stub.cancels() == [], "no event id yet: nothing to cancel on the Space"
    close_and_check_threads(client, before)


# --- waiting in the Gradio queue -------------------------------------------------------------


@pytest.mark.parametrize("route", [QUEUE, JANUS], ids=lambda r: r.name)
def test_cancel_while_waiting_in_the_queue_asks_the_space_to_drop_the_job(
    stub: StubSpace, route: Route
):
    stub.reset(hold={"queue-wait"})
    before = threads()
    client = Client(**stub_options(stub))
    job = route.submit(client, "queued")
    pump = EventPump(job)  # the caller blocks in next(): no event comes while queued
    join = stub.wait_path("POST", route.submit_path)
    stub.wait_path("GET", f"{PREFIX}/queue/data")

    cancelled, seconds = timed(job.cancel)
    assert cancelled and seconds < PROMPT_CANCEL_LIMIT
    assert isinstance(pump.finish(END_LIMIT), JobCancelledError)
    cancel_and_check_after(job)
    stub.wait_path("POST", f"{PREFIX}/cancel")
    session = join.json()["session_hash"]
    [request] = stub.cancels()
    assert request["session_hash"] == session
    assert request["fn_index"] == join.json()["fn_index"]
    assert request["event_id"].startswith("queue-")
    close_and_check_threads(client, before)


def cancel_and_check_after(job: Job) -> None:
    """A job that another thread cancelled: result() and a second cancel agree."""
    with pytest.raises(JobCancelledError):
        job.result(timeout=END_LIMIT)
    assert job.cancelled() and job.cancel() is False


@pytest.mark.e2e
def test_a_job_cancelled_in_the_lookalike_queue_is_dropped_by_the_space(lookalikes):
    """One job at a time, 30 s each: after cancelling the running one and the one waiting
    behind it, a third starts at once (it would wait 30 s or more if the Space kept either)."""
    client = Client(
        space_urls={"black-forest-labs/FLUX.1-dev": lookalikes.queue}, timeout=120, max_workers=4
    )
    before = threads()
    params = {"provider": "BlackForestLabs_Flux1Dev", "width": 256, "height": 256}
    with watching_logs() as logs:
        running = client.submit("flux-dev", "running", **params)
        running_events = iter(running)
        assert next(running_events) == Reasoning(status="Using 1 GPU")
        waiting = client.submit("flux-dev", "waiting", **params)
        logs.wait_for(r"accepted fn 2 as \w+", count=2)
        assert queue_size(lookalikes.queue) == 1, "the second job waits in the Space's queue"

        cancel_and_check(waiting)  # waiting in the Space's queue
        logs.wait_for(CANCEL_REQUEST)
        cancel_and_check(running, running_events)  # streaming progress
        logs.wait_for(CANCEL_REQUEST, count=2)

        third = client.submit("flux-dev", "third", **params)
        pump = EventPump(third)
        try:
            first, seconds = timed(lambda: pump.next(timeout=15))
        except queue.Empty:
            pytest.fail("the third job waited behind a cancelled one")
        assert first == Reasoning(status="Using 1 GPU")
        assert seconds < 15
        cancel_and_check_after_pump(third, pump)
        logs.wait_for(CANCEL_REQUEST, count=3)
    client.close()
    assert join_extra_threads(before) == []


def cancel_and_check_after_pump(job: Job, pump: EventPump) -> None:
    cancelled, seconds = timed(job.cancel)
    assert cancelled and seconds < PROMPT_CANCEL_LIMIT
    assert isinstance(pump.finish(END_LIMIT), JobCancelledError)


# --- streaming: the job runs on the Space -----------------------------------------------------


def test_cancel_while_streaming_progress_cancels_the_queue_job_on_the_space(stub: StubSpace):
    before = threads()
    client = Client(**stub_options(stub))
    job = QUEUE.submit(client, "streaming")
    events = iter(job)
    assert next(events) == Reasoning(status="Using 1 GPU")
    assert next(events) == Reasoning(status="Sampling 1/28", progress=1, total=28)

    cancelled, seconds = timed(job.cancel)
    assert cancelled and seconds < PROMPT_CANCEL_LIMIT
    with pytest.raises(JobCancelledError):
        next(events)
    cancel_and_check_after(job)
    join = stub.wait_path("POST", QUEUE.submit_path)
    stub.wait_path("POST", f"{PREFIX}/cancel")
    [request] = stub.cancels()
    assert request["session_hash"] == join.json()["session_hash"]
    assert request["fn_index"] == 2
    close_and_check_threads(client, before)


def test_cancel_while_streaming_a_call_job_cancels_it_on_the_space(stub: StubSpace):
    before = threads()
    client = Client(**stub_options(stub))
    job = CALL.submit(client, "streaming")
    stream = stub.wait_path("GET", rf"{PREFIX}/call/infer/call-\d+")
    event_id = stream.path.rsplit("/", 1)[1]

    cancel_and_check(job)
    stub.wait_path("POST", f"{PREFIX}/cancel")
    assert stub.cancels() == [{"session_hash": event_id, "fn_index": 2, "event_id": event_id}]
    close_and_check_threads(client, before)


@pytest.mark.e2e
@pytest.mark.parametrize("route", [QUEUE, JANUS], ids=lambda r: r.name)
def test_cancel_a_lookalike_job_while_it_computes(lookalikes, hub_url, route):
    """One job at a time per function: once the computing job is cancelled, the next starts."""
    before = threads()
    client = Client(**lookalikes.options(hub_url, slow=True))
    with watching_logs() as logs:
        job = route.submit(client, "computing")
        events = iter(job)
        assert first_status(events) == Reasoning(status="Using 1 GPU")
        cancel_and_check(job, events)
        logs.wait_for(CANCEL_REQUEST)
        after = route.submit(client, "after")
        pump = EventPump(after)
        _, seconds = timed(lambda: first_status(iter(lambda: pump.next(timeout=15), None)))
        assert seconds < 15, "the next job waited for the cancelled one's computation"
        cancel_and_check_after_pump(after, pump)
    close_and_check_threads(client, before)


def first_status(events: Iterator[Any]) -> Reasoning:
    return next(e for e in events if isinstance(e, Reasoning))


@pytest.mark.e2e
def test_cancel_a_lookalike_call_job_while_it_computes(lookalikes, hub_url):
    """/call reports no progress: the Space's queue shows the waiting job start instead."""
    space = lookalikes.slow["flux-schnell"]
    before = threads()
    client = Client(**lookalikes.options(hub_url, slow=True))
    with watching_logs() as logs:
        job = CALL.submit(client, "computing")
        logs.wait_for(r"accepted /call/infer as \w+")
        wait_until(lambda: queue_size(space) == 0, timeout=10, what="the first job runs")
        waiting = CALL.submit(client, "waiting")
        logs.wait_for(r"accepted /call/infer as \w+", count=2)
        assert queue_size(space) == 1, "the second job waits behind the first"

        cancel_and_check(job)
        logs.wait_for(CANCEL_REQUEST)
        wait_until(lambda: queue_size(space) == 0, timeout=10, what="the waiting job starts")
        cancel_and_check(waiting)
        logs.wait_for(CANCEL_REQUEST, count=2)
    close_and_check_threads(client, before)


# --- G4F's run/predict wait ------------------------------------------------------------------


def test_cancel_while_g4f_waits_for_run_predict(stub: StubSpace):
    before = threads()
    client = Client(**stub_options(stub, max_workers=1))
    job = PREDICT.submit(client, "predicting")
    events = iter(job)
    assert next(events) == Reasoning(status="Acquiring GPU Token")
    assert next(events) == Reasoning(status="Generating 0.00s")
    stub.wait_path("POST", PREDICT.submit_path)
    assert next(events).status.startswith("Generating ")  # the 0.2 s ticks go on

    cancelled, seconds = timed(job.cancel)
    assert cancelled and seconds < PROMPT_CANCEL_LIMIT
    with pytest.raises(JobCancelledError):
        for _ in events:
            pass
    cancel_and_check_after(job)
    close_and_check_threads(client, before)


@pytest.mark.e2e
def test_cancel_a_lookalike_g4f_job_while_it_computes(lookalikes, hub_url):
    before = threads()
    client = Client(**lookalikes.options(hub_url, slow=True, max_workers=1))
    job = PREDICT.submit(client, "computing")
    events = iter(job)
    assert next(events) == Reasoning(status="Acquiring GPU Token")
    assert next(events) == Reasoning(status="Generating 0.00s")
    assert next(events).status.startswith("Generating ")
    cancel_and_check(job, events)
    # The pool's one worker is free again: a job that the Space fails at once ends at once.
    with pytest.raises(SpaceError):
        PREDICT.submit(client, "after [[error]]").result(timeout=10)
    close_and_check_threads(client, before)


# --- after completion -------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_cancel_after_completion_returns_false_and_keeps_the_result(lookalikes, hub_url, route):
    before = threads()
    with Client(**lookalikes.options(hub_url)) as client:
        job = route.submit(client, "done")
        result = job.result(timeout=30)
        assert isinstance(result, (ImageResponse, str))
        cancelled, seconds = timed(job.cancel)
        assert cancelled is False and seconds < PROMPT_CANCEL_LIMIT
        assert not job.cancelled()
        assert job.result(timeout=0) is result
        assert list(job)[-1] == result
    assert extra_threads(before) == []
