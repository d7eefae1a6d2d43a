"""Providers send the numbers the Space's /config gives their function, not g4f's.

Each Space here lists its function at another position and with other component ids than the
original, as after an owner's edit; the submission must carry those numbers.
"""

from __future__ import annotations

import json
from typing import Any

import responses
from gradio_answers import BASE, file_data, queue_stream

from hfspace_sdk import G4F, DeepseekAI_JanusPro7b

FOX = [{"role": "user", "content": "a red fox"}]
PREFIX = f"{BASE}/gradio_api"


def _moved(api_name: str, fn_index: int, trigger: list[Any], inputs: int) -> dict[str, Any]:
    """A Gradio 6 /config whose only named function is ``api_name``, moved to ``fn_index``."""
    unnamed = [{"id": i, "api_name": None, "targets": [[1, "load"]]} for i in range(fn_index)]
    function = {
        "id": fn_index,
        "api_name": api_name,
        "targets": [trigger],
        "inputs": list(range(100, 100 + inputs)),
        "outputs": [99],
    }
    # The unnamed listeners are not a config "without api names": ours has one.
    return {
        "version": "6.31.0",
        "api_prefix": "/gradio_api",
        "protocol": "sse_v3",
        "dependencies": [*unnamed, function],
    }


def _completed(*data: Any) -> str:
    return queue_stream(
        {"msg": "process_completed", "event_id": "e1", "output": {"data": list(data)}}
    )


def test_janus_chat_joins_with_the_moved_function_and_trigger():
    with responses.RequestsMock() as mocked:
        mocked.get(f"{BASE}/config", json=_moved("multimodal_understanding", 6, [31, "click"], 5))
        join = mocked.post(f"{PREFIX}/queue/join", json={"event_id": "e1"})
        mocked.get(f"{PREFIX}/queue/data", body=_completed("A fox."))
        with DeepseekAI_JanusPro7b(space_urls={DeepseekAI_JanusPro7b.space: BASE}) as janus:
            events = list(janus.create_completion("janus-pro-7b", FOX, api_key="own-token"))
    body = json.loads(join.calls[0].request.body)
    assert (body["fn_index"], body["trigger_id"]) == (6, 31)
    assert events[-1] == "A fox."


def test_janus_image_joins_with_the_moved_function():
    with responses.RequestsMock() as mocked:
        mocked.get(f"{BASE}/config", json=_moved("generate_image", 4, [40, "click"], 4))
        join = mocked.post(f"{PREFIX}/queue/join", json={"event_id": "e1"})
        mocked.get(f"{PREFIX}/queue/data", body=_completed([file_data("http://x/a.png")]))
        with DeepseekAI_JanusPro7b(space_urls={DeepseekAI_JanusPro7b.space: BASE}) as janus:
            list(janus.create_completion("janus-pro-7b-image", FOX, api_key="own-token"))
    body = json.loads(join.calls[0].request.body)
    assert (body["fn_index"], body["trigger_id"]) == (4, 40)


def test_g4f_run_predict_posts_the_moved_function():
    with responses.RequestsMock() as mocked:
        mocked.get(f"{BASE}/config", json=_moved("RealtimeFlux", 5, [17, "change"], 6))
        predict = mocked.post(
            f"{PREFIX}/run/predict",
            json={"data": [file_data("http://x/g.webp"), 5, "Latency: 1 s"]},
        )
        with G4F(space_urls={G4F.flux_space: BASE}) as g4f:
            list(g4f.create_completion("flux-schnell", FOX, api_key="own-token"))
    body = json.loads(predict.calls[0].request.body)
    assert (body["fn_index"], body["trigger_id"]) == (5, 17)
