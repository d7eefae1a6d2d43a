"""``space.queue_status()`` against the demo look-alike on Gradio 6 and 4.44: an idle queue, and
a queue holding a job that waits behind a slow one (waited for through the jobs' statuses)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gradio_builds import python_for
from space_support import DEMO_ID

from hfspace_sdk import Client, Job, QueueStatus, Reasoning
from hfspace_sdk.testing import serve_space

pytestmark = pytest.mark.gradio

#: Long enough for the checks below to run while the first job computes; the jobs are cancelled.
COMPUTE_SECONDS = 20.0


@pytest.fixture(scope="module")
def slow_demo(gradio_build: str) -> Iterator[str]:
    """A demo Space whose calls compute for a while, one at a time."""
    with serve_space(
        "demo",
        compute_seconds=COMPUTE_SECONDS,
        concurrency_limit=1,
        python=python_for(gradio_build),
    ) as url:
        yield url


def wait_for_status(job: Job, *, queued: bool) -> Reasoning:
    """The job's first status saying it runs (``queued=False``) or waits at a known rank."""
    for event in job:
        if not isinstance(event, Reasoning):
            continue
        if queued and event.rank is not None:
            return event
        if not queued and event.status == "Running":
            return event
    raise AssertionError(f"{job!r} ended without the status wanted")


def test_an_idle_queue(demo_space: str) -> None:
    with Client(space_urls={DEMO_ID: demo_space}, timeout=60) as client:
        status = client.space(DEMO_ID).queue_status()
    assert isinstance(status, QueueStatus)
    assert status.queue_size == 0
    assert status.eta is None or status.eta >= 0


def test_a_job_waiting_behind_a_slow_one_is_counted(slow_demo: str) -> None:
    with Client(space_urls={DEMO_ID: slow_demo}, timeout=120) as client:
        space = client.space(DEMO_ID)
        running = space.submit("/repeat", "first")
        waiting = None
        try:
            wait_for_status(running, queued=False)
            waiting = space.submit("/repeat", "second")
            wait_for_status(waiting, queued=True)
            status = space.queue_status()
        finally:
            running.cancel()
            if waiting is not None:
                waiting.cancel()
    assert status.queue_size >= 1
    assert status.eta is None or status.eta >= 0
