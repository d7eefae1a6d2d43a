"""Soak: a thousand jobs through one client leave no thread, descriptor or memory behind.

Memory is measured twice, after a warm-up of ~100 jobs (which fills the caches, the session
pool and the connection pools) and after the next ~900, each time after a full collection:

* Python memory, as ``sys.getallocatedblocks()``: every block the interpreter allocated and has
  not freed. It costs nothing while the jobs run (``tracemalloc`` would slow this client
  threefold) and does not move with the allocator's arenas, thread stacks or fragmentation, so
  the bound can be tight: fewer new blocks than calls. A job that leaks anything — its Job,
  an event, a response, a session — leaks several blocks per call and fails it.
* RSS, with glibc's free pages given back first (``malloc_trim``): catches what Python does not
  count (buffers of C libraries such as OpenSSL or zlib); held to 5 MiB.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import Counter
from collections.abc import Callable

import pytest
from lifecycle_support import (
    describe,
    join_extra_threads,
    open_fds,
    python_memory,
    settle,
    threads,
    trimmed_rss_kib,
)

from hfspace_sdk import Client, ImageResponse, Reasoning
from hfspace_sdk.events import ImagePreview
from hfspace_sdk.jobs import Job

pytestmark = pytest.mark.e2e

WARM_UP = 90  # calls: 99 jobs (one call in ten starts two)
MEASURED = 820  # calls: 902 jobs
CALLERS = 12  # each runs its calls one after another; twelve at a time, on 8 workers
BLOCKS_LIMIT = MEASURED  # fewer new Python memory blocks than calls
RSS_LIMIT = 5 * 1024  # KiB
TINY = {"width": 64, "height": 64}
SMALL = {"width": 256, "height": 256}


def one_job(client: Client, index: int) -> int:
    """Run the ``index``-th call of the mix and check it; the number of jobs it started."""
    prompt = f"soak {index}"
    kind = index % 10
    if kind in (0, 5):  # /call
        result = client.submit("flux", prompt, provider="BlackForestLabs_Flux1Schnell", **SMALL)
        assert isinstance(result.result(timeout=60), ImageResponse)
    elif kind in (1, 6, 8):  # G4F run/predict, with its thread per job
        events = list(client.images.stream(prompt, model="flux-schnell", provider="G4F", **TINY))
        assert events[-1].alt == prompt
    elif kind in (2, 7):  # Janus chat on the queue, answers checked
        answer = client.chat.completions.create(messages=prompt, provider="DeepseekAI_JanusPro7b")
        assert answer.choices[0].message.content == f"Janus look-alike answer to: {prompt}"
    elif kind == 3:  # FLUX.1-dev on the queue with previews; every other one left early
        stream = client.images.stream(
            prompt,
            model="flux-dev",
            provider="BlackForestLabs_Flux1Dev",
            num_inference_steps=1,
            **SMALL,
        )
        if index % 20 == 3:
            for event in stream:
                assert isinstance(event, (Reasoning, ImagePreview))
                break
        else:
            assert isinstance(list(stream)[-1], ImageResponse)
    elif kind == 4:  # two generations from one call, concurrently
        response = client.images.generate(prompt, model="flux-schnell", provider="G4F", n=2, **TINY)
        assert len(response.data) == 2
        return 2
    else:  # kind 9: Janus chat through G4F, streamed
        chunks = list(client.chat.completions.create(messages=prompt, provider="G4F", stream=True))
        assert chunks[-1].choices[0].finish_reason == "stop"
    return 1


def run_jobs(client: Client, indexes: range, job: Callable[[Client, int], int]) -> int:
    """Run the calls on CALLERS threads; the number of jobs started."""
    counts: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def caller(offset: int) -> None:
        total = 0
        for index in indexes[offset::CALLERS]:
            try:
                total += job(client, index)
            except BaseException as exc:  # handed to the test thread
                with lock:
                    errors.append(exc)
                return
        with lock:
            counts.append(total)

    workers = [threading.Thread(target=caller, args=(n,), name=f"soak-{n}") for n in range(CALLERS)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 120
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    if any(worker.is_alive() for worker in workers):
        client.close()
        pytest.fail("soak callers still blocked after 120 s")
    assert errors == [], describe(errors)
    return sum(counts)


def live_jobs(settle_seconds: float = 2.0) -> int:
    """Job objects still alive (the client and the test keep none once the calls return).

    A worker that is just unwinding (its last deferred clean-up) may hold its job for a moment:
    collect again until none is left or ``settle_seconds`` pass. A leak never reaches zero.
    """
    deadline = time.monotonic() + settle_seconds
    settled = threading.Event()
    while True:
        gc.collect()
        alive = sum(1 for obj in gc.get_objects() if isinstance(obj, Job))
        if alive == 0 or time.monotonic() >= deadline:
            return alive
        settled.wait(0.05)  # nothing to wait on: a reference held by an unwinding frame


def type_counts() -> Counter[str]:
    return Counter(type(obj).__name__ for obj in gc.get_objects())


def test_a_thousand_jobs_leave_no_thread_descriptor_or_memory_behind(lookalikes, hub_url):
    settle()
    threads_before, fds_before = threads(), open_fds()
    jobs_before = live_jobs(settle_seconds=0)  # other tests in this process may hold some
    started = time.monotonic()
    client = Client(**lookalikes.options(hub_url, max_workers=8))

    jobs = run_jobs(client, range(WARM_UP), one_job)
    rss_warm, blocks_warm = trimmed_rss_kib(), python_memory()
    types_warm = type_counts()  # for the failure message; its own blocks are taken off below
    counting_cost = python_memory() - blocks_warm
    jobs += run_jobs(client, range(WARM_UP, WARM_UP + MEASURED), one_job)
    blocks_end = python_memory() - counting_cost
    rss_end = trimmed_rss_kib()
    grown = [f"{name} +{n}" for name, n in (type_counts() - types_warm).most_common(8)]
    calls, seconds = WARM_UP + MEASURED, time.monotonic() - started
    threads_open = len(threading.enumerate())
    client.close()
    settle()
    threads_after, fds_after = threads(), open_fds()
    left_jobs = live_jobs() - jobs_before

    print(
        f"\nsoak: {calls} calls = {jobs} jobs in {seconds:.1f} s ({jobs / seconds:.0f} jobs/s)\n"
        f"  threads: before {len(threads_before)}, client open {threads_open}, "
        f"after close {len(threads_after)}\n"
        f"  open fds: before {fds_before}, after close {fds_after}\n"
        f"  over the last {MEASURED} calls: Python blocks {blocks_warm} -> {blocks_end} "
        f"({blocks_end - blocks_warm:+d}); RSS {rss_warm} -> {rss_end} KiB "
        f"({rss_end - rss_warm:+d} KiB)\n"
        f"  Job objects alive after close: {left_jobs}; most grown types: {grown}"
    )
    assert jobs >= 1000
    assert join_extra_threads(threads_before, timeout=0) == [], "threads left after close()"
    assert threads_after <= threads_before
    assert fds_after == fds_before, "descriptors left open after close()"
    assert left_jobs <= 0, "the soak's jobs were kept alive after they ended"
    assert blocks_end - blocks_warm < BLOCKS_LIMIT, f"Python memory grew; types: {grown}"
    assert rss_end - rss_warm < RSS_LIMIT, "RSS grew"
