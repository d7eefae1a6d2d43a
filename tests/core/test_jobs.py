"""Jobs on the thread pool: events, results, errors, cancel, deadlines, close, no leaks."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from hfspace_sdk.cancel import CancelScope
from hfspace_sdk.errors import HFSpaceError, JobCancelledError, SpaceError, SpaceTimeoutError
from hfspace_sdk.events import Event, ImageResponse, Reasoning
from hfspace_sdk.jobs import JobRunner

WAIT = 10.0  # upper bound for things that happen promptly; never slept


@pytest.fixture
def runner() -> Iterator[JobRunner]:
    jobs = JobRunner(2)
    yield jobs
    jobs.close()


def steps(*events: Event):
    def generation(scope: CancelScope) -> Iterator[Event]:
        yield from events

    return generation


def blocking(started: threading.Event, ended: threading.Event):
    """A generation that reports progress, then waits until it is stopped."""

    def generation(scope: CancelScope) -> Iterator[Event]:
        try:
            yield Reasoning(status="waiting")
            started.set()
            scope.wait(60)
            scope.check()
            yield "never"
        finally:
            ended.set()

    return generation


def test_events_arrive_in_order_and_the_last_is_the_result(runner):
    image = ImageResponse(["http://x/a.webp"], "a fox")
    job = runner.start(steps(Reasoning(status="1/2"), image), total_seconds=WAIT, name="t")
    assert list(job) == [Reasoning(status="1/2"), image]
    assert job.result() is image
    assert job.done() and not job.cancelled()


def test_the_jobs_error_is_raised_by_iteration_and_result(runner):
    error = SpaceError("boom", space="o/s")

    def failing(scope: CancelScope) -> Iterator[Event]:
        yield Reasoning(status="starting")
        raise error

    job = runner.start(failing, total_seconds=WAIT, name="t")
    seen = []
    with pytest.raises(SpaceError) as caught:
        for event in job:
            seen.append(event)
    assert seen == [Reasoning(status="starting")]
    assert caught.value is error
    with pytest.raises(SpaceError):
        job.result()
    assert job.exception() is error


def test_cancel_stops_a_running_job_and_frees_its_thread(runner):
    started, ended = threading.Event(), threading.Event()
    job = runner.start(blocking(started, ended), total_seconds=WAIT, name="t")
    events = iter(job)
    assert next(events) == Reasoning(status="waiting")
    assert started.wait(WAIT)

    assert job.cancel() is True
    with pytest.raises(JobCancelledError):
        next(events)
    assert ended.wait(WAIT), "the worker left the generation"
    assert job.cancelled() and job.done()
    assert job.cancel() is False


def test_cancel_before_start_never_runs_the_generation():
    runner = JobRunner(1)
    started, ended = threading.Event(), threading.Event()
    try:
        first = runner.start(blocking(started, ended), total_seconds=WAIT, name="first")
        ran = threading.Event()

        def second_generation(scope: CancelScope) -> Iterator[Event]:
            ran.set()
            yield "x"

        second = runner.start(second_generation, total_seconds=WAIT, name="second")
        assert started.wait(WAIT)
        second.cancel()
        with pytest.raises(JobCancelledError):
            second.result(timeout=WAIT)
        assert list(_safe_iter(second)) == []
        first.cancel()
        assert ended.wait(WAIT)
        assert not ran.is_set()
    finally:
        runner.close()


def _safe_iter(job):
    try:
        yield from job
    except JobCancelledError:
        return


def test_deadline_cancels_the_job_with_a_timeout_error(runner):
    started, ended = threading.Event(), threading.Event()
    job = runner.start(blocking(started, ended), total_seconds=0.3, name="t")
    begun = time.monotonic()
    with pytest.raises(SpaceTimeoutError, match="0.3 s timeout"):
        list(job)
    assert time.monotonic() - begun < WAIT
    assert ended.wait(WAIT)
    assert isinstance(job.exception(), TimeoutError)


def test_a_jobs_own_timeout_error_is_raised_as_is(runner):
    error = SpaceTimeoutError("space.test sent nothing for 60 s")

    def timing_out(scope: CancelScope) -> Iterator[Event]:
        raise error
        yield  # a generator

    job = runner.start(timing_out, total_seconds=WAIT, name="t")
    with pytest.raises(SpaceTimeoutError) as caught:
        job.result(timeout=WAIT)
    assert caught.value is error
    assert job.exception() is error


def test_result_timeout_leaves_the_job_running(runner):
    started, ended = threading.Event(), threading.Event()
    job = runner.start(blocking(started, ended), total_seconds=WAIT, name="t")
    with pytest.raises(TimeoutError) as caught:
        job.result(timeout=0.05)
    assert not isinstance(caught.value, HFSpaceError)
    assert not job.done()
    job.cancel()
    assert ended.wait(WAIT)


def test_a_job_can_be_iterated_once(runner):
    job = runner.start(steps("a"), total_seconds=WAIT, name="t")
    assert list(job) == ["a"]
    with pytest.raises(HFSpaceError, match="only once"):
        iter(job)


def test_a_one_thread_pool_runs_many_jobs_from_many_threads_without_deadlock():
    runner = JobRunner(1)
    results: list[object] = []
    lock = threading.Lock()

    def submit_and_wait(index: int) -> None:
        job = runner.start(
            steps(Reasoning(status="s"), f"answer {index}"), total_seconds=WAIT, name=f"j{index}"
        )
        value = job.result()
        with lock:
            results.append(value)

    threads = [threading.Thread(target=submit_and_wait, args=(index,)) for index in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    runner.close()
    assert sorted(results) == sorted(f"answer {index}" for index in range(40))


def test_close_cancels_jobs_in_flight_and_joins_the_threads():
    before = set(threading.enumerate())
    runner = JobRunner(3)
    flags = [(threading.Event(), threading.Event()) for _ in range(3)]
    jobs = [runner.start(blocking(*pair), total_seconds=WAIT, name="t") for pair in flags]
    for started, _ in flags:
        assert started.wait(WAIT)

    runner.close()

    assert all(ended.is_set() for _, ended in flags)
    for job in jobs:
        with pytest.raises(JobCancelledError):
            job.result(timeout=WAIT)
    assert [thread for thread in threading.enumerate() if thread not in before] == []
    with pytest.raises(HFSpaceError, match="closed"):
        runner.start(steps("x"), total_seconds=WAIT, name="late")
    runner.close()  # idempotent


def test_scope_abort_callbacks_run_on_cancel_and_when_registered_late():
    scope = CancelScope(WAIT)
    calls: list[str] = []
    with scope.abortable(lambda: calls.append("first")):
        scope.cancel()
    assert calls == ["first"]
    with scope.abortable(lambda: calls.append("late")):
        pass
    assert calls == ["first", "late"]
    with pytest.raises(JobCancelledError):
        scope.check()


def test_a_script_ending_with_a_job_in_flight_exits_at_once():
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        from hfspace_sdk.jobs import JobRunner

        def generation(scope):
            yield "started"
            scope.wait(120)  # a stream that would block for two minutes
            scope.check()

        job = JobRunner(2).start(generation, total_seconds=300, name="t")
        print(next(iter(job)), flush=True)
        """
    )
    begun = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "started\n"
    assert time.monotonic() - begun < 20, (
        "interpreter exit cancels jobs instead of waiting for them"
    )


def test_active_lists_the_jobs_not_yet_finished(runner):
    started, ended = threading.Event(), threading.Event()
    finished = runner.start(steps("done"), total_seconds=WAIT, name="quick")
    forgotten = [threading.Event(), threading.Event()]  # callbacks run after the runner's own
    finished.add_done_callback(lambda _: forgotten[0].set())
    assert forgotten[0].wait(WAIT)
    running = runner.start(blocking(started, ended), total_seconds=WAIT, name="blocking")
    running.add_done_callback(lambda _: forgotten[1].set())
    assert started.wait(WAIT)
    assert runner.active() == [running], "a finished job is forgotten, a running one listed"
    running.cancel()
    assert forgotten[1].wait(WAIT) and ended.wait(WAIT)
    assert runner.active() == []
