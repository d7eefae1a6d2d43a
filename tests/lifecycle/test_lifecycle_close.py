"""``close()`` with jobs in flight: prompt, every job cancelled, nothing left, then unusable."""

from __future__ import annotations

import threading

import pytest
from lifecycle_support import (
    CANCEL_REQUEST,
    PREFIX,
    EventPump,
    StubSpace,
    assert_no_threads_left,
    extra_threads,
    open_fds,
    settle,
    stub_options,
    threads,
    timed,
    watching_logs,
)

from hfspace_sdk import BlackForestLabs_Flux1Dev, Client, Reasoning
from hfspace_sdk.errors import HFSpaceError, JobCancelledError

CLOSE_LIMIT = 3.0
END_LIMIT = 5.0
SMALL = {"width": 256, "height": 256}


@pytest.mark.e2e
def test_client_close_cancels_running_and_queued_jobs_and_leaves_nothing(lookalikes, hub_url):
    """Two workers busy on 30-second jobs (a queue stream and G4F's run/predict wait), three
    more queued behind them, some iterated by other threads: close() ends them all at once."""
    settle()
    fds_before, threads_before = open_fds(), threads()
    client = Client(**lookalikes.options(hub_url, slow=True, max_workers=2))
    with watching_logs() as logs:
        running_queue = client.submit(
            "flux-dev", "running", provider="BlackForestLabs_Flux1Dev", **SMALL
        )
        queue_events = iter(running_queue)
        assert next(queue_events) == Reasoning(status="Using 1 GPU")
        running_g4f = client.submit("flux-schnell", "running", provider="G4F", **SMALL)
        g4f_pump = EventPump(running_g4f)  # another thread blocks on its events
        assert g4f_pump.next(30) == Reasoning(status="Acquiring GPU Token")
        assert g4f_pump.next(30) == Reasoning(status="Generating 0.00s")
        queued = [
            client.submit("flux", "queued", provider="BlackForestLabs_Flux1Schnell", **SMALL),
            client.submit("janus-pro-7b", "queued", provider="DeepseekAI_JanusPro7b"),
            client.submit("flux-dev", "queued", provider="FluxDev", **SMALL),
        ]
        queued_pumps = [EventPump(job) for job in queued[:2]]
        assert not any(job.done() for job in queued)

        _, seconds = timed(client.close)
        assert seconds < CLOSE_LIMIT, f"close() took {seconds:.2f} s"
        for job in [running_queue, running_g4f, *queued]:
            assert job.done() and job.cancelled(), job
            with pytest.raises(JobCancelledError):
                job.result(timeout=0)
        with pytest.raises(JobCancelledError):
            for _ in queue_events:
                pass
        for pump in [g4f_pump, *queued_pumps]:
            assert isinstance(pump.finish(END_LIMIT), JobCancelledError)
        logs.wait_for(CANCEL_REQUEST)  # the streaming queue job, cancelled on its Space
    assert_no_threads_left(threads_before)
    settle()
    assert open_fds() == fds_before, "connections left open after close()"


def test_close_returns_while_another_thread_blocks_in_generate(stub: StubSpace):
    """A web app shutting down: close() ends a request thread's blocking generate()."""
    stub.reset(hold={"submit"})
    before = threads()
    client = Client(**stub_options(stub))
    outcome: list[BaseException] = []

    def request_thread() -> None:
        try:
            client.images.generate("a red fox", model="flux-dev", provider="FluxDev")
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    caller = threading.Thread(target=request_thread, name="lifecycle-caller")
    caller.start()
    stub.wait_path("POST", f"{PREFIX}/queue/join")
    _, seconds = timed(client.close)
    assert seconds < CLOSE_LIMIT
    caller.join(END_LIMIT)
    assert not caller.is_alive(), "generate() still blocks after close()"
    assert len(outcome) == 1 and isinstance(outcome[0], JobCancelledError)
    assert extra_threads(before) == []


@pytest.mark.e2e
def test_a_closed_client_says_so_and_closing_again_is_fine(lookalikes, hub_url):
    client = Client(**lookalikes.options(hub_url))
    url = (
        client.images.generate(
            "a red fox",
            model="flux-schnell",
            provider="BlackForestLabs_Flux1Schnell",
            size="256x256",
        )
        .data[0]
        .url
    )
    client.close()
    client.close()  # idempotent
    calls = {
        "images.generate": lambda: client.images.generate("a fox", model="flux-schnell"),
        "images.stream": lambda: next(iter(client.images.stream("a fox", model="flux-schnell"))),
        "images.generate_many": lambda: list(client.images.generate_many(["a fox"])),
        "chat": lambda: client.chat.completions.create(messages="Hi"),
        "chat stream": lambda: next(client.chat.completions.create(messages="Hi", stream=True)),
        "submit": lambda: client.submit("flux-schnell", "a fox"),
        "download": lambda: client.download(url),
    }
    for name, call in calls.items():
        with pytest.raises(HFSpaceError, match="closed") as caught:
            call()
        assert "closed" in str(caught.value), name
    client.close()


def test_a_closed_provider_says_so(stub: StubSpace):
    provider = BlackForestLabs_Flux1Dev(**stub_options(stub))
    job = provider.submit("flux-dev", [{"role": "user", "content": "in flight"}])
    stub.wait_path("GET", f"{PREFIX}/queue/data")
    provider.close()
    provider.close()
    with pytest.raises(JobCancelledError):
        job.result(timeout=END_LIMIT)
    with pytest.raises(HFSpaceError, match="closed"):
        provider.submit("flux-dev", [{"role": "user", "content": "after"}])
    with pytest.raises(HFSpaceError, match="closed"):
        next(provider.create_completion("flux-dev", [{"role": "user", "content": "after"}]))


def test_leaving_a_with_block_by_an_exception_closes_the_client(stub: StubSpace):
    before = threads()
    with (
        pytest.raises(RuntimeError, match="the caller failed"),
        Client(**stub_options(stub)) as client,
    ):
        job = client.submit("flux-dev", "in flight", provider="BlackForestLabs_Flux1Dev")
        stub.wait_path("GET", f"{PREFIX}/queue/data")
        raise RuntimeError("the caller failed")
    with pytest.raises(JobCancelledError):
        job.result(timeout=END_LIMIT)
    stub.wait_path("POST", f"{PREFIX}/cancel")
    with pytest.raises(HFSpaceError, match="closed"):
        client.submit("flux-dev", "after")
    assert extra_threads(before) == []
