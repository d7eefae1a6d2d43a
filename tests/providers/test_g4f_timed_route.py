"""G4F's run/predict route: timed statuses from the runtime's ticker, no thread per job."""

from __future__ import annotations

import json
import threading

import pytest
import responses
from gradio_answers import BASE, CONFIG_4, file_data

from hfspace_sdk import G4F, ImageResponse, JobCancelledError, Reasoning

FOX = [{"role": "user", "content": "a red fox"}]
WAIT = 10


@pytest.fixture
def pending_predict():
    """A g4f-flux Space whose run/predict answers only when the test says so."""
    answer = threading.Event()
    seen = threading.Event()

    def predict(request):  # type: ignore[no-untyped-def]
        seen.set()
        answer.wait(WAIT)
        body = {"data": [file_data("http://x/file=g.webp"), 5, "Latency: 1 s"]}
        return 200, {"content-type": "application/json"}, json.dumps(body)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.get(f"{BASE}/config", json=CONFIG_4)
        mocked.add_callback(responses.POST, f"{BASE}/run/predict", callback=predict)
        yield answer, seen, mocked


def _new_threads(before: set[threading.Thread]) -> list[str]:
    return sorted(t.name for t in threading.enumerate() if t not in before and t.is_alive())


def test_ticks_come_from_the_ticker_while_the_request_runs_on_the_job_thread(pending_predict):
    answer, seen, mocked = pending_predict
    before = set(threading.enumerate())
    provider = G4F(space_urls={"roxky/g4f-flux": BASE}, max_workers=1)
    job = provider.submit("flux-schnell", FOX, api_key="zerogpu-token", width=64, height=64)
    events = iter(job)
    assert next(events) == Reasoning(status="Generating 0.00s")
    assert seen.wait(WAIT)
    ticks = [next(events), next(events), next(events)]
    assert all(tick.status.startswith("Generating ") for tick in ticks)
    elapsed = [float(tick.status.split()[1].rstrip("s")) for tick in ticks]
    assert elapsed == sorted(elapsed) and elapsed[0] >= 0.19
    # One job thread (the request runs on it) and the runtime's one ticker: no per-job pool.
    names = _new_threads(before)
    assert names.count("hfspace-ticker") == 1
    assert [name for name in names if name != "hfspace-ticker"] == ["hfspace_0"]

    answer.set()
    rest = list(events)
    finished = [
        event for event in rest if isinstance(event, Reasoning) and "Finished" in event.status
    ]
    assert len(finished) == 1 and rest[-2] is finished[0], "Finished comes just before the image"
    assert isinstance(rest[-1], ImageResponse) and rest[-1].urls == ["http://x/file=g.webp"]
    assert all(event.status.startswith("Generating ") for event in rest[:-2])
    request = [call.request for call in mocked.calls if call.request.url.endswith("/run/predict")]
    assert request[0].headers["x-zerogpu-token"] == "zerogpu-token"
    provider.close()
    assert _new_threads(before) == []


def test_a_cancelled_job_ends_without_its_result(pending_predict):
    answer, seen, _ = pending_predict
    before = set(threading.enumerate())
    provider = G4F(space_urls={"roxky/g4f-flux": BASE}, max_workers=1)
    job = provider.submit("flux-schnell", FOX, api_key="zerogpu-token", width=64, height=64)
    events = iter(job)
    assert next(events) == Reasoning(status="Generating 0.00s")
    assert seen.wait(WAIT)
    assert next(events).status.startswith("Generating ")
    assert job.cancel()
    answer.set()  # a mocked request cannot be aborted (the lifecycle tests abort real ones)
    with pytest.raises(JobCancelledError):
        for event in events:
            assert event.status.startswith("Generating "), "no Finished, no image"
    provider.close()
    assert _new_threads(before) == []
