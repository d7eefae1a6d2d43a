"""End-to-end: the four look-alikes of real Spaces on the wire, on every gradio the session covers.

(The ``demo`` Space and the ``flux-dev-drifted`` variant have their own test modules.)
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
import requests
from lookalike_wire import (
    TIMEOUT,
    Space,
    call_api,
    completed,
    download_image,
    error_text,
    queue_call,
    upload_png,
)
from PIL import Image

from hfspace_sdk.testing import FAILURE_MESSAGES, LOOKALIKES, space_urls_for
from hfspace_sdk.testing.images import render_image

pytestmark = pytest.mark.e2e


def _urls(value: Any) -> list[str]:
    return [item["url"] for item in value]


# --------------------------------------------------------------------------- /config layout


def test_config_prefix_and_version(spaces: dict[str, Space]) -> None:
    for space in spaces.values():
        assert space.config["protocol"] == "sse_v3"
        assert space.prefix == ("/gradio_api" if space.major >= 5 else "")
        assert space.config.get("enable_queue", True)


def test_layouts_have_no_stray_components(spaces: dict[str, Space]) -> None:
    buttons = {
        name: sum(c["type"] == "button" for c in space.config["components"])
        for name, space in spaces.items()
    }
    assert buttons == {
        "flux-schnell": 1, "flux-dev": 1, "janus": 2, "g4f-flux": 1,
        "demo": 11, "flux-dev-drifted": 2,  # one per endpoint; Enhance prompt and Run
        "flux-kontext": 2, "sd35-large": 1,  # Run and Reuse this image; Run
    }


def test_flux_schnell_layout(spaces: dict[str, Space]) -> None:
    space = spaces["flux-schnell"]
    dep = space.dependency(2)
    assert dep["api_name"] == "infer"
    assert space.targets(2) == [[5, "click"], [4, "submit"]]
    assert space.component(4)["type"] == "textbox"
    assert space.component(5)["type"] == "button"
    assert [space.component(i)["type"] for i in dep["inputs"]] == [
        "textbox",
        "slider",
        "checkbox",
        "slider",
        "slider",
        "slider",
    ]
    assert [space.component(i)["type"] for i in dep["outputs"]] == ["image", "slider"]
    seed, _, width, height, steps = (space.component(i)["props"] for i in dep["inputs"][1:])
    assert (seed["minimum"], seed["maximum"], seed["step"]) == (0, 2147483647, 1)
    assert (width["minimum"], width["maximum"], width["step"]) == (256, 2048, 32)
    assert (height["minimum"], height["maximum"], height["step"]) == (256, 2048, 32)
    assert (steps["minimum"], steps["maximum"]) == (1, 50)


def test_flux_dev_layout(spaces: dict[str, Space]) -> None:
    space = spaces["flux-dev"]
    dep = space.dependency(2)
    assert dep["api_name"] == "infer"
    assert [4, "submit"] in space.targets(2)
    assert space.component(4)["type"] == "textbox"
    assert dep["types"]["generator"] is True
    assert len(dep["inputs"]) == 7
    guidance = space.component(dep["inputs"][5])["props"]
    assert (guidance["minimum"], guidance["maximum"], guidance["step"]) == (1, 15, 0.1)


def test_janus_layout(spaces: dict[str, Space]) -> None:
    space = spaces["janus"]
    assert space.dependency(2)["api_name"] == "multimodal_understanding"
    assert space.targets(2) == [[10, "click"]]
    assert space.dependency(3)["api_name"] == "generate_image"
    assert space.targets(3) == [[20, "click"]]
    assert space.component(10)["type"] == "button"
    assert space.component(20)["type"] == "button"
    assert [space.component(i)["type"] for i in space.dependency(2)["inputs"]] == [
        "image",
        "textbox",
        "number",
        "slider",
        "slider",
    ]
    assert [space.component(i)["type"] for i in space.dependency(3)["outputs"]] == ["gallery"]


def test_g4f_flux_layout(spaces: dict[str, Space]) -> None:
    space = spaces["g4f-flux"]
    dep = space.dependency(3)
    assert space.targets(3) == [[10, "change"]]
    assert dep["queue"] is False
    assert len(dep["inputs"]) == 6
    assert len(dep["outputs"]) == 3
    seed, width = (space.component(i)["props"] for i in dep["inputs"][1:3])
    assert seed["maximum"] == 4294967295
    assert (width["minimum"], width["maximum"]) == (32, 2048)


def test_info_named_endpoints(spaces: dict[str, Space]) -> None:
    expected = {
        "flux-schnell": {
            "/infer": ["prompt", "seed", "randomize_seed", "width", "height", "num_inference_steps"]
        },
        "flux-dev": {
            "/infer": [
                "prompt",
                "seed",
                "randomize_seed",
                "width",
                "height",
                "guidance_scale",
                "num_inference_steps",
            ]
        },
        "janus": {
            "/multimodal_understanding": ["image", "question", "seed", "top_p", "temperature"],
            "/generate_image": ["prompt", "seed", "guidance", "t2i_temperature"],
        },
        "g4f-flux": {
            "/RealtimeFlux": [
                "prompt",
                "seed",
                "width",
                "height",
                "randomize_seed",
                "num_inference_steps",
            ]
        },
    }
    for name, space in spaces.items():
        if name not in expected:
            continue  # demo, flux-dev-drifted: see their modules
        response = requests.get(f"{space.api}/info", timeout=TIMEOUT)
        assert response.status_code == 200
        named = response.json()["named_endpoints"]
        assert {k: [p["parameter_name"] for p in v["parameters"]] for k, v in named.items()} == (
            expected[name]
        )


def test_space_urls_cover_every_space_id(spaces: dict[str, Space]) -> None:
    mapping = space_urls_for({name: space.url for name, space in spaces.items()})
    assert set(mapping) == {sid for ids in LOOKALIKES.values() for sid in ids}
    assert mapping["roxky/Janus-Pro-7B"] == spaces["janus"].url
    # Served together, the look-alike of the Space wins over its variant.
    assert mapping["black-forest-labs/FLUX.1-dev"] == spaces["flux-dev"].url
    assert mapping["hfspace-sdk/demo"] == spaces["demo"].url


# --------------------------------------------------------------------------- real calls


def test_flux_schnell_call_infer(spaces: dict[str, Space]) -> None:
    space = spaces["flux-schnell"]
    events = call_api(space, "infer", ["a cat holding a sign", 7, False, 320, 256, 2])
    assert [name for name, _ in events] == ["complete"]
    image_data, seed = events[-1][1]
    assert seed == 7
    assert image_data["url"].startswith(f"{space.api}/file=")
    image = download_image(image_data["url"])
    assert image.size == (320, 256)
    expected = np.asarray(render_image(7, "a cat holding a sign", 320, 256))
    # WebP is lossy: compare loosely against the deterministic drawing.
    assert np.abs(np.asarray(image.convert("RGB"), dtype=int) - expected).mean() < 8
    # Same request, same picture: gradio stores outputs by content hash.
    again = call_api(space, "infer", ["a cat holding a sign", 7, False, 320, 256, 2])
    assert again[-1][1][0]["path"] == image_data["path"]


def test_flux_dev_queue_generator(spaces: dict[str, Space]) -> None:
    space = spaces["flux-dev"]
    messages = queue_call(space, 2, 4, ["a dog on a skateboard", 11, False, 512, 384, 3.5, 6])
    kinds = [m["msg"] for m in messages]
    assert kinds[-1] == "close_stream"
    logs = [m for m in messages if m["msg"] == "log"]
    assert logs and logs[0]["log"] == "Using 1 GPU" and logs[0]["level"] == "info"
    progress = [m for m in messages if m["msg"] == "progress" and m["progress_data"]]
    assert progress, kinds
    unit = progress[0]["progress_data"][0]
    assert unit["desc"] == "Sampling" and unit["length"] == 6 and 0 <= unit["index"] < 6
    generating = [m for m in messages if m["msg"] == "process_generating"]
    assert len(generating) == 3  # two previews, then the final value
    first = generating[0]["output"]["data"]
    assert first[1] == 11 and "url" in first[0]  # full value
    diff = generating[1]["output"]["data"][0]  # later ones are diffs
    assert ["url"] in [op[1] for op in diff if op[0] == "replace"]
    final = completed(messages)
    assert final["success"] is True
    final_image, final_seed = final["output"]["data"]
    assert final_seed == 11
    preview = download_image(first[0]["url"])
    image = download_image(final_image["url"])
    assert preview.size == image.size == (512, 384)
    assert first[0]["url"] != final_image["url"]


def test_janus_understanding_with_and_without_image(spaces: dict[str, Space]) -> None:
    space = spaces["janus"]
    messages = queue_call(space, 2, 10, [None, "what is this?", 42, 0.95, 0.1])
    assert completed(messages)["output"]["data"] == ["Janus look-alike answer to: what is this?"]
    assert any(m["msg"] == "log" and m["log"] == "Using 1 GPU" for m in messages)
    progress = [m for m in messages if m["msg"] == "progress" and m["progress_data"]]
    assert progress and progress[0]["progress_data"][0]["desc"] == "Sampling"

    file_data = upload_png(space, 64, 48)
    messages = queue_call(space, 2, 10, [file_data, "describe", 1234, 0.95, 0.1])
    answer = completed(messages)["output"]["data"][0]
    assert answer == "Janus look-alike answer to: describe [image 64x48]"


def test_janus_generate_image_gallery(spaces: dict[str, Space]) -> None:
    space = spaces["janus"]
    messages = queue_call(space, 3, 20, ["a red fox in the snow", 1234, 5, 1])
    final = completed(messages)
    assert final["success"] is True
    (gallery,) = final["output"]["data"]
    assert len(gallery) == 5
    assert all(set(item) >= {"image", "caption"} for item in gallery)
    urls = [item["image"]["url"] for item in gallery]
    assert len(set(urls)) == 5
    for url in urls:
        assert download_image(url).size == (768, 768)


def test_g4f_flux_run_predict(spaces: dict[str, Space]) -> None:
    space = spaces["g4f-flux"]
    response = requests.post(
        f"{space.api}/run/predict",
        json={
            "data": ["a castle on a hill", 5, 1000, 776, False, 1],
            "event_data": None,
            "fn_index": 3,
            "session_hash": "aypz0cs3lb",
            "trigger_id": 10,
        },
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    image_data, seed, latency = response.json()["data"]
    assert seed == 5
    assert latency == "Latency: 0.01 seconds"
    assert download_image(image_data["url"]).size == (1000, 776)


def test_g4f_flux_accepts_large_random_seed(spaces: dict[str, Space]) -> None:
    space = spaces["g4f-flux"]
    response = requests.post(
        f"{space.api}/run/predict",
        json={
            "data": ["x", 4294967295, 64, 32, False, 1],
            "fn_index": 3,
            "trigger_id": 10,
            "event_data": None,
            "session_hash": "bigseed",
        },
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"][1] == 4294967295


def test_queued_functions_refuse_run_like_a_space(spaces: dict[str, Space]) -> None:
    space = spaces["flux-schnell"]
    response = requests.post(
        f"{space.api}/run/infer", json={"data": ["x", 1, False, 256, 256, 1]}, timeout=TIMEOUT
    )
    assert response.status_code == 404
    assert "join the queue" in response.json()["detail"]


# --------------------------------------------------------------------------- failures


@pytest.mark.parametrize("mode", ["error", "quota", "quota-left"])
def test_failure_trigger_on_queue(spaces: dict[str, Space], mode: str) -> None:
    space = spaces["flux-dev"]
    messages = queue_call(space, 2, 4, [f"boom [[{mode}]]", 1, False, 256, 256, 3.5, 2])
    final = completed(messages)
    assert final["success"] is False
    assert final["output"]["error"] == error_text(space, FAILURE_MESSAGES[mode])


def test_quota_free_title(spaces: dict[str, Space]) -> None:
    space = spaces["janus"]
    messages = queue_call(space, 3, 20, ["[[quota-free]] a fox", 1, 5, 1])
    final = completed(messages)
    assert final["output"]["error"] == error_text(space, FAILURE_MESSAGES["quota-free"])
    if space.major >= 5:
        assert final["output"]["title"] == "ZeroGPU quota exceeded"
    else:
        assert "title" not in final["output"]  # gradio 4 has no error titles


def test_hidden_failure_on_queue(spaces: dict[str, Space]) -> None:
    space = spaces["janus"]
    messages = queue_call(space, 2, 10, [None, "[[hidden]]", 1, 0.95, 0.1])
    final = completed(messages)
    assert final["success"] is False
    assert final["output"]["error"] is None


def test_failure_over_call_api(spaces: dict[str, Space]) -> None:
    space = spaces["flux-schnell"]
    events = call_api(space, "infer", ["[[error]]", 1, False, 256, 256, 1])
    name, data = events[-1]
    assert name == "error"
    if space.major >= 6:
        assert data["error"] == FAILURE_MESSAGES["error"]
    else:
        assert data is None  # gradio 4/5 drop the text on /call


def test_failure_over_run_predict(spaces: dict[str, Space]) -> None:
    space = spaces["g4f-flux"]
    response = requests.post(
        f"{space.api}/run/predict",
        json={
            "data": ["[[quota]]", 1, 256, 256, False, 1],
            "event_data": None,
            "fn_index": 3,
            "session_hash": "failing",
            "trigger_id": 10,
        },
        timeout=TIMEOUT,
    )
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == error_text(space, FAILURE_MESSAGES["quota"])


def test_images_are_real_files(spaces: dict[str, Space]) -> None:
    """The downloaded bytes are an image format PIL recognises (WebP by default)."""
    space = spaces["flux-schnell"]
    events = call_api(space, "infer", ["format probe", 3, False, 256, 256, 1])
    raw = requests.get(events[-1][1][0]["url"], timeout=TIMEOUT).content
    assert Image.open(io.BytesIO(raw)).format in {"WEBP", "PNG"}
