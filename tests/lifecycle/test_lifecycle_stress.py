"""Hundreds of jobs from many threads through one client with a small pool: all finish, right.

A job never waits on work queued to its own pool, so a pool smaller than the number of callers
(or than the jobs one call starts) cannot deadlock; every wait here is bounded, so a deadlock
fails the test instead of hanging it.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from lifecycle_support import describe, extra_threads, threads, timed

from hfspace_sdk import Client, ImageResponse, JsonConversation
from hfspace_sdk.events import ImagePreview

pytestmark = pytest.mark.e2e

JOBS = 300
CALLERS = 16
JOIN_LIMIT = 120.0  # generous, finite: a deadlock fails here
SMALL = {"width": 256, "height": 256}
TINY = {"width": 64, "height": 64}  # G4F's Space takes sizes from 32


@dataclass(frozen=True)
class Outcome:
    kind: str
    prompt: str
    value: Any


def run_one(client: Client, index: int) -> Outcome:
    """One of ten kinds of call, chosen by ``index``; its checked result."""
    prompt = f"prompt {index}"
    kind = index % 10
    if kind == 0:  # /call, through a job's iterator
        job = client.submit("flux", prompt, provider="BlackForestLabs_Flux1Schnell", **SMALL)
        return Outcome("call", prompt, list(job)[-1])
    if kind == 1:  # the Gradio queue with previews, streamed
        events = list(
            client.images.stream(
                prompt,
                model="flux-dev",
                provider="BlackForestLabs_Flux1Dev",
                num_inference_steps=1,
                **SMALL,
            )
        )
        assert any(isinstance(e, ImagePreview) for e in events)
        return Outcome("queue", prompt, events[-1])
    if kind == 2:  # Janus chat: the answer names the question, so answers cannot cross
        answer = client.chat.completions.create(messages=prompt, provider="DeepseekAI_JanusPro7b")
        return Outcome("janus", prompt, answer.choices[0].message.content)
    if kind == 3:  # HuggingSpace routes flux-schnell to the first FLUX.1-schnell Space
        response = client.images.generate(prompt, model="flux-schnell", size="256x256")
        return Outcome("routed", prompt, response.data[0].url)
    if kind == 4:  # Janus chat through G4F, streamed
        chunks = list(client.chat.completions.create(messages=prompt, provider="G4F", stream=True))
        text = "".join(c.choices[0].delta.content or "" for c in chunks)
        return Outcome("janus-stream", prompt, text)
    if kind == 5:  # two G4F generations at once from one call: two jobs, two predict threads
        response = client.images.generate(prompt, model="flux-schnell", provider="G4F", n=2, **TINY)
        return Outcome("predict-n2", prompt, [image.url for image in response.data])
    # G4F run/predict (4 in 10): a thread of its own per job, beside the pool
    result = client.submit("flux-schnell", prompt, provider="G4F", **TINY).result(timeout=60)
    return Outcome("predict", prompt, result)


def run_callers(
    client: Client, jobs: int, callers: int, work: Callable[[Client, int], Outcome]
) -> tuple[list[Outcome], list[BaseException]]:
    """``jobs`` calls spread over ``callers`` threads; waits at most JOIN_LIMIT in all."""
    outcomes: list[Outcome] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def caller(start: int) -> None:
        for index in range(start, jobs, callers):
            try:
                outcome = work(client, index)
            except BaseException as exc:  # handed to the test thread
                with lock:
                    errors.append(exc)
                continue
            with lock:
                outcomes.append(outcome)

    workers = [
        threading.Thread(target=caller, args=(n,), name=f"caller-{n}") for n in range(callers)
    ]
    for worker in workers:
        worker.start()
    _, seconds = timed(lambda: join_all(workers, JOIN_LIMIT))
    stuck = [w.name for w in workers if w.is_alive()]
    if stuck:
        client.close()  # unblock them, so the failure does not hang the session
        for worker in workers:
            worker.join(10)
        pytest.fail(f"{len(stuck)} callers still blocked after {seconds:.0f} s (deadlock?)")
    return outcomes, errors


def join_all(workers: list[threading.Thread], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))


def test_hundreds_of_jobs_from_many_threads_through_a_small_pool(lookalikes, hub_url):
    fast = {name: url.rstrip("/") for name, url in lookalikes.fast.items()}
    before = threads()
    client = Client(**lookalikes.options(hub_url, max_workers=4))
    (outcomes, errors), seconds = timed(lambda: run_callers(client, JOBS, CALLERS, run_one))
    client.close()
    print(f"\n{JOBS} jobs from {CALLERS} threads on 4 workers: {seconds:.1f} s")
    assert errors == [], describe(errors)
    assert len(outcomes) == JOBS
    urls: list[str] = []
    for outcome in outcomes:
        if outcome.kind in ("janus", "janus-stream"):
            assert outcome.value == f"Janus look-alike answer to: {outcome.prompt}"
            continue
        if outcome.kind in ("call", "queue", "predict"):
            assert isinstance(outcome.value, ImageResponse)
            assert not isinstance(outcome.value, ImagePreview)
            assert outcome.value.alt == outcome.prompt
            found = list(outcome.value.urls)
        else:
            found = outcome.value if isinstance(outcome.value, list) else [outcome.value]
        expected = {
            "call": "flux-schnell",
            "predict-n2": "g4f-flux",
            "queue": "flux-dev",
            "routed": "flux-schnell",
            "predict": "g4f-flux",
        }[outcome.kind]
        assert all(url.startswith(fast[expected] + "/") for url in found), (outcome, expected)
        urls.extend(found)
    assert len(urls) == len(set(urls)), "two jobs were handed the same image"
    assert Counter(o.kind for o in outcomes)["predict"] == JOBS * 4 // 10
    assert extra_threads(before) == [], "threads left after close()"


def test_g4f_run_predict_jobs_cannot_deadlock_a_one_worker_pool(lookalikes, hub_url):
    before = threads()
    client = Client(**lookalikes.options(hub_url, max_workers=1))

    def g4f(client: Client, index: int) -> Outcome:
        events = list(client.submit("flux-schnell", f"g4f {index}", provider="G4F", **SMALL))
        assert [e.status for e in events[:2]] == ["Acquiring GPU Token", "Generating 0.00s"]
        assert events[-2].status.startswith("Finished ")
        return Outcome("predict", f"g4f {index}", events[-1])

    outcomes, errors = run_callers(client, 16, 4, g4f)
    client.close()
    assert errors == [], describe(errors)
    assert sorted(o.value.alt for o in outcomes) == sorted(f"g4f {i}" for i in range(16))
    assert extra_threads(before) == []


def test_one_call_starting_more_jobs_than_workers_completes(lookalikes, hub_url):
    """generate(n=4) and generate_many(max_concurrency=4) on a one-worker pool."""
    before = threads()
    with Client(**lookalikes.options(hub_url, max_workers=1)) as client:
        response = client.images.generate("four at once", model="flux-schnell", n=4, size="256x256")
        assert len(response.data) == 4
        outcomes = list(
            client.images.generate_many(
                [f"many {i}" for i in range(6)],
                max_concurrency=4,
                model="flux-schnell",
                size="256x256",
            )
        )
        assert sorted(o.index for o in outcomes) == list(range(6))
        assert all(o.error is None for o in outcomes)
    assert extra_threads(before) == []


def test_conversations_stay_with_their_callers(lookalikes, hub_url):
    """Follow-up turns from many threads: each conversation returned is the caller's own."""
    with Client(**lookalikes.options(hub_url, max_workers=2)) as client:

        def converse(client: Client, index: int) -> Outcome:
            first = client.chat.completions.create(
                messages=f"turn one {index}", provider="DeepseekAI_JanusPro7b"
            )
            assert isinstance(first.conversation, JsonConversation)
            second = client.chat.completions.create(
                messages=f"turn two {index}",
                provider="DeepseekAI_JanusPro7b",
                conversation=first.conversation,
            )
            assert second.conversation is not None
            assert (
                second.conversation.get_dict()["session_hash"]
                == first.conversation.get_dict()["session_hash"]
            )
            return Outcome("janus", f"turn two {index}", second.choices[0].message.content)

        outcomes, errors = run_callers(client, 12, 6, converse)
    assert errors == [], describe(errors)
    assert all(o.value == f"Janus look-alike answer to: {o.prompt}" for o in outcomes)
