"""The FLUX.1-Kontext-dev and SD 3.5 Large look-alikes on the wire, with plain requests only:
the numbers g4f sends, the inputs by name, and an edit that visibly uses the uploaded image."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from lookalike_wire import (
    TIMEOUT,
    Space,
    call_api,
    completed,
    download_image,
    file_url,
    queue_call,
    upload_png,
)

pytestmark = pytest.mark.e2e


def test_kontext_layout_matches_g4fs_numbers(spaces: dict[str, Space]) -> None:
    space = spaces["flux-kontext"]
    infer = space.dependency(2)  # g4f: fn_index 2, trigger_id 7
    assert infer["api_name"] == "infer"
    assert space.targets(2) == [[8, "click"], [7, "submit"]]
    assert space.component(5)["type"] == "image" and space.component(7)["type"] == "textbox"
    assert len(infer["inputs"]) == 6 and len(infer["outputs"]) == 3


def test_sd35_layout_and_parameter_names(spaces: dict[str, Space]) -> None:
    space = spaces["sd35-large"]
    assert space.dependency(2)["api_name"] == "infer"
    named = requests.get(f"{space.api}/info", timeout=TIMEOUT).json()["named_endpoints"]
    assert [p["parameter_name"] for p in named["/infer"]["parameters"]] == [
        "prompt",
        "negative_prompt",
        "seed",
        "randomize_seed",
        "width",
        "height",
        "guidance_scale",
        "num_inference_steps",
    ]


def test_kontext_edits_the_uploaded_image_at_its_size(spaces: dict[str, Space]) -> None:
    space = spaces["flux-kontext"]
    uploaded = upload_png(space, 40, 24)  # solid (10, 200, 30)
    messages = queue_call(space, 2, 7, [uploaded, "add snow", 1, False, 2.5, 2])
    output: list[Any] = completed(messages)["output"]["data"]
    image, seed = output[0], output[1]
    assert seed == 1
    edited = download_image(file_url(space, image)).convert("RGB")
    assert edited.size == (40, 24)
    # Three quarters of the upload's colour, one quarter of the tint: green stays dominant.
    red, green, blue = edited.getpixel((20, 12))
    assert green > 150 and red < 100 + 64 and blue < 30 + 64


def test_sd35_streams_a_preview_and_refuses_a_null_negative_prompt(
    spaces: dict[str, Space],
) -> None:
    space = spaces["sd35-large"]
    data = ["a fox", "", 3, False, 512, 512, 4.5, 4]
    events = call_api(space, "infer", data)
    assert next(name for name, _ in events if name != "heartbeat") == "generating"
    assert events[-1][0] == "complete"
    failed = call_api(space, "infer", ["a fox", None, *data[2:]])
    assert failed[-1][0] == "error"
