"""g4f style: create_completion on the class, with default settings and the real Space hosts.

The real Spaces are unreachable here, so `responses` answers for their hosts.
"""

from __future__ import annotations

import threading

import pytest
import responses
from gradio_answers import CONFIG_6, call_stream, file_data

from hfspace_sdk import BlackForestLabs_Flux1Schnell, ImageResponse

HOST = "https://black-forest-labs-flux-1-schnell.hf.space"


@responses.activate
def test_create_completion_on_the_class_uses_the_real_space_and_cleans_up(monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    responses.get(f"{HOST}/config", json=CONFIG_6)
    responses.post(f"{HOST}/gradio_api/call/infer", json={"event_id": "e1"})
    image = file_data(f"{HOST}/gradio_api/file=/tmp/gradio/a/image.webp")
    responses.get(f"{HOST}/gradio_api/call/infer/e1", body=call_stream(("complete", [image, 3])))
    threads_before = set(threading.enumerate())

    events = list(
        BlackForestLabs_Flux1Schnell.create_completion(
            "flux", [{"role": "user", "content": "a fox"}]
        )
    )

    assert events == [ImageResponse([image["url"]], "a fox")]
    assert [thread for thread in threading.enumerate() if thread not in threads_before] == []


@responses.activate
def test_class_level_iterator_abandoned_before_start_starts_nothing():
    threads_before = set(threading.enumerate())
    stream = BlackForestLabs_Flux1Schnell.create_completion(
        "flux", [{"role": "user", "content": "a fox"}]
    )
    stream.close()
    del stream
    assert len(responses.calls) == 0, "the job starts on the first next(), so nothing ran"
    assert [thread for thread in threading.enumerate() if thread not in threads_before] == []


def test_class_level_bad_input_raises_at_once():
    with pytest.raises(ValueError, match="Valid models"):
        BlackForestLabs_Flux1Schnell.create_completion(
            "nope", [{"role": "user", "content": "a fox"}]
        )
