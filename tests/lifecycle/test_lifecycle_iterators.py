"""Leaving an event iterator early — ``close()``, ``break``, or dropping it — cancels its job.

The stub Space streams a FLUX.1-dev queue job that never ends (a status line, a progress step,
then silence), so the only way out is the early exit. Each test checks that the Space was asked
to cancel the job (``/cancel`` with the job's session), that the pool's worker is free again,
and that no thread is left once the owner is closed.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from lifecycle_support import (
    CANCEL_REQUEST,
    PREFIX,
    StubSpace,
    collect_until_gone,
    extra_threads,
    join_extra_threads,
    stub_environment,
    stub_options,
    threads,
    timed,
    watching_logs,
)

from hfspace_sdk import BlackForestLabs_Flux1Dev, Client, DeepseekAI_JanusPro7b, Reasoning
from hfspace_sdk.runtime import RuntimeOwner

USING_GPU = Reasoning(status="Using 1 GPU")
MESSAGES = [{"role": "user", "content": "a red fox"}]
NEXT_MESSAGES = [{"role": "user", "content": "next one"}]
CLOSE_LIMIT = 2.0


def close_explicitly(events: Iterator[Any]) -> None:
    assert next(events) == USING_GPU
    events.close()  # type: ignore[attr-defined]


def break_out(events: Iterator[Any]) -> None:
    for event in events:
        assert event == USING_GPU
        break


def abandon(events: Iterator[Any]) -> None:
    assert next(events) == USING_GPU
    del events  # the only reference, dropped without close(); leave_early then collects


EARLY_EXITS: list[Callable[[Iterator[Any]], None]] = [close_explicitly, break_out, abandon]
IDS = ["close", "break", "abandon"]


def leave_early(make_events: Callable[[], Iterator[Any]], exit_early: Callable[..., None]) -> float:
    """Start the iterator, leave it the given way, drop it; how long leaving took."""
    _, seconds = timed(lambda: exit_early(make_events()))
    gc.collect()
    return seconds


def assert_cancelled_on_the_space(stub: StubSpace) -> None:
    join = stub.wait_path("POST", f"{PREFIX}/queue/join")
    stub.wait_path("POST", f"{PREFIX}/cancel")
    [cancel] = stub.cancels()
    assert cancel["session_hash"] == join.json()["session_hash"]


def assert_pool_is_free(stub: StubSpace, submit: Callable[[], Any]) -> None:
    """With one worker: a new job reaches the Space, so the left one no longer holds it."""
    job = submit()
    stub.wait_for(lambda r: b"next one" in r.body, what="the next job's submission")
    job.cancel()


@pytest.mark.parametrize("exit_early", EARLY_EXITS, ids=IDS)
def test_provider_create_completion_left_early_cancels_its_job(stub: StubSpace, exit_early):
    before = threads()
    provider = BlackForestLabs_Flux1Dev(**stub_options(stub, max_workers=1))
    seconds = leave_early(
        lambda: provider.create_completion("flux-dev", MESSAGES, width=256, height=256),
        exit_early,
    )
    assert seconds < CLOSE_LIMIT
    assert_cancelled_on_the_space(stub)
    assert_pool_is_free(stub, lambda: provider.submit("flux-dev", NEXT_MESSAGES))
    provider.close()
    assert extra_threads(before) == []


@pytest.mark.parametrize("exit_early", EARLY_EXITS, ids=IDS)
def test_client_images_stream_left_early_cancels_its_job(stub: StubSpace, exit_early):
    before = threads()
    client = Client(**stub_options(stub, max_workers=1))
    seconds = leave_early(
        lambda: client.images.stream(
            "a red fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev", size="256x256"
        ),
        exit_early,
    )
    assert seconds < CLOSE_LIMIT
    assert_cancelled_on_the_space(stub)
    assert_pool_is_free(stub, lambda: client.submit("flux-dev", "next one"))
    client.close()
    assert extra_threads(before) == []


@pytest.mark.parametrize("exit_early", EARLY_EXITS, ids=IDS)
def test_class_level_create_completion_left_early_cancels_its_job(
    stub: StubSpace, monkeypatch: pytest.MonkeyPatch, exit_early
):
    """g4f's way: the call on the class runs on a temporary provider with default settings."""
    for name, value in stub_environment(stub).items():
        monkeypatch.setenv(name, value)
    before = threads()
    seconds = leave_early(
        lambda: BlackForestLabs_Flux1Dev.create_completion(
            "flux-dev", MESSAGES, width=256, height=256
        ),
        exit_early,
    )
    assert seconds < CLOSE_LIMIT
    assert_cancelled_on_the_space(stub)
    if exit_early is close_explicitly:  # close() closes the temporary provider at once
        assert extra_threads(before) == []
    # Left by break or dropped: the generator's finally closes the provider at once.
    assert collect_until_gone(before, timeout=5) == []


@pytest.mark.parametrize("exit_early", [break_out, abandon], ids=["break", "abandon"])
def test_class_level_create_completion_left_early_frees_its_thread_without_a_gc_pass(
    stub: StubSpace, monkeypatch: pytest.MonkeyPatch, exit_early
):
    for name, value in stub_environment(stub).items():
        monkeypatch.setenv(name, value)
    before = threads()
    leave_early(
        lambda: BlackForestLabs_Flux1Dev.create_completion(
            "flux-dev", MESSAGES, width=256, height=256
        ),
        exit_early,
    )
    assert_cancelled_on_the_space(stub)
    gc.disable()  # what is left must not depend on when the collector happens to run
    try:
        left = join_extra_threads(before, timeout=1)
    finally:
        gc.enable()
        gc.collect()
    assert left == [], "the temporary provider's pool thread outlives the abandoned iterator"


def _job_of(owner: RuntimeOwner):
    [job] = owner.active_jobs() or [None]
    return job


@pytest.mark.parametrize("entry", ["create_completion", "images.stream", "chat stream"])
def test_an_iterator_left_before_its_first_event_starts_no_job(stub: StubSpace, entry: str):
    provider = BlackForestLabs_Flux1Dev(**stub_options(stub, max_workers=1))
    client = Client(**stub_options(stub, max_workers=1))
    try:
        if entry == "create_completion":
            owner: RuntimeOwner = provider
            events = provider.create_completion("flux-dev", MESSAGES, width=256, height=256)
        elif entry == "images.stream":
            owner = client
            events = client.images.stream("a fox", model="flux-dev", provider="FluxDev")
        else:
            owner = client
            events = client.chat.completions.create(
                messages="What is this?", provider=DeepseekAI_JanusPro7b, stream=True
            )
        events.close()  # type: ignore[attr-defined]
        del events
        gc.collect()
        # The job starts on the first next(): closed before it, nothing ever ran.
        assert _job_of(owner) is None, "a job started although its iterator was never read"
    finally:
        provider.close()
        client.close()


@pytest.mark.e2e
def test_class_level_create_completion_closes_its_provider_when_done(
    lookalikes, hub_url, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv(
        "HFSPACE_SPACE_URLS", f"black-forest-labs/FLUX.1-dev={lookalikes.fast['flux-dev']}"
    )
    monkeypatch.setenv("HF_ENDPOINT", hub_url)
    before = threads()
    events = list(
        BlackForestLabs_Flux1Dev.create_completion(
            "flux-dev", MESSAGES, width=256, height=256, num_inference_steps=2
        )
    )
    assert events[-1].urls
    assert extra_threads(before) == [], "the temporary provider is closed at the end"


@pytest.mark.e2e
def test_lookalike_stream_left_by_break_cancels_the_job_on_the_space(lookalikes, hub_url):
    before = threads()
    client = Client(**lookalikes.options(hub_url, slow=True))
    with watching_logs() as logs:
        for event in client.images.stream(
            "a red fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev", size="256x256"
        ):
            assert event == USING_GPU
            break
        logs.wait_for(r"accepted fn 2 as \w+")
        logs.wait_for(r"job failed: The job was cancelled")
        logs.wait_for(CANCEL_REQUEST)
    client.close()
    assert extra_threads(before) == []


def test_closing_an_iterator_twice_is_harmless_and_it_stays_finished(stub: StubSpace):
    with Client(**stub_options(stub)) as client:
        stream = client.images.stream(
            "a red fox", model="flux-dev", provider="BlackForestLabs_Flux1Dev", size="256x256"
        )
        assert next(stream) == USING_GPU
        stream.close()  # type: ignore[attr-defined]
        stream.close()  # type: ignore[attr-defined]
        with pytest.raises(StopIteration):
            next(stream)
        assert_cancelled_on_the_space(stub)
