"""End-to-end: ``flux-dev-drifted``, FLUX.1-dev after its owner added a button and an event.

``infer`` keeps its api_name, inputs and outputs but moves from fn_index 2 to 3, and its
triggers from components 5/4 to 6/5: a client with FLUX.1-dev's hard-coded numbers (g4f's
``fn_index`` 2, ``trigger_id`` 4) silently runs ``enhance_prompt`` instead.
"""

from __future__ import annotations

import pytest
import requests
from lookalike_wire import (
    TIMEOUT,
    Space,
    call_api,
    completed,
    download,
    error_text,
    file_url,
    queue_call,
)

from hfspace_sdk.testing import FAILURE_MESSAGES, space_urls_for

pytestmark = pytest.mark.e2e

#: FLUX.1-dev's seven inputs, as g4f sends them.
INPUTS = ["a dog on a skateboard", 11, False, 512, 384, 3.5, 6]


def test_infer_moved_but_kept_its_api(spaces: dict[str, Space]) -> None:
    space = spaces["flux-dev-drifted"]
    by_name = {dep["api_name"]: dep for dep in space.config["dependencies"]}
    infer = by_name["infer"]
    assert infer["id"] == 3  # FLUX.1-dev: 2
    assert space.targets(3) == [[6, "click"], [5, "submit"]]
    assert infer["types"]["generator"] is True
    assert len(infer["inputs"]) == 7
    original = spaces["flux-dev"]
    expected = original.dependency(2)
    # Same component types and properties, each id shifted by the new button.
    assert [space.component(i)["type"] for i in infer["inputs"]] == [
        original.component(i)["type"] for i in expected["inputs"]
    ]
    assert [space.component(i)["props"].get("maximum") for i in infer["inputs"]] == [
        original.component(i)["props"].get("maximum") for i in expected["inputs"]
    ]
    assert infer["inputs"] == [i + 1 for i in expected["inputs"]]
    # What FLUX.1-dev's numbers now reach: fn 2 is another event; 4 is a layout row.
    assert space.dependency(2)["api_name"] == "enhance_prompt"
    assert space.targets(2) == [[3, "click"]]
    assert space.component(3)["type"] == "button"
    assert space.component(4)["type"] == "row"
    assert space.component(5)["type"] == "textbox"
    assert space.component(6)["type"] == "button"


def test_info_lists_infer_with_the_same_parameters(spaces: dict[str, Space]) -> None:
    infos = {
        name: requests.get(f"{spaces[name].api}/info", timeout=TIMEOUT).json()["named_endpoints"]
        for name in ("flux-dev", "flux-dev-drifted")
    }
    drifted = infos["flux-dev-drifted"]
    assert list(drifted) == ["/enhance_prompt", "/infer"]
    for key in ("parameters", "returns"):  # (gradio 6's code_snippets name each URL)
        assert drifted["/infer"][key] == infos["flux-dev"]["/infer"][key]
    assert [p["parameter_name"] for p in drifted["/enhance_prompt"]["parameters"]] == ["prompt"]


def test_old_numbers_run_enhance_prompt_not_infer(spaces: dict[str, Space]) -> None:
    """g4f's hard-coded call succeeds, with one string instead of ``[image, seed]``."""
    space = spaces["flux-dev-drifted"]
    messages = queue_call(space, 2, 4, INPUTS)
    final = completed(messages)
    assert final["success"] is True
    assert final["output"]["data"] == ["a dog on a skateboard, highly detailed, 8k"]
    assert not any(m["msg"] == "process_generating" for m in messages)
    assert not any(m["msg"] == "log" for m in messages)  # no "Using 1 GPU": infer never ran


def test_new_numbers_run_infer_like_flux_dev(spaces: dict[str, Space]) -> None:
    space = spaces["flux-dev-drifted"]
    messages = queue_call(space, 3, 5, INPUTS)
    assert [m["log"] for m in messages if m["msg"] == "log"] == ["Using 1 GPU"]
    assert sum(m["msg"] == "process_generating" for m in messages) == 3
    final = completed(messages)
    image, seed = final["output"]["data"]
    assert seed == 11
    reference = completed(queue_call(spaces["flux-dev"], 2, 4, INPUTS))["output"]["data"][0]
    # The very same picture as FLUX.1-dev's for the same request.
    assert download(file_url(space, image)) == download(file_url(spaces["flux-dev"], reference))


def test_infer_by_api_name(spaces: dict[str, Space]) -> None:
    space = spaces["flux-dev-drifted"]
    events = call_api(space, "infer", ["a cat", 5, False, 256, 256, 3.5, 1])
    assert [name for name, _ in events] == ["generating", "complete"]
    assert events[-1][1][1] == 5


def test_failure_triggers(spaces: dict[str, Space]) -> None:
    space = spaces["flux-dev-drifted"]
    inputs = ["boom [[quota]]", 1, False, 256, 256, 3.5, 2]
    final = completed(queue_call(space, 3, 5, inputs))
    assert final["success"] is False
    assert final["output"]["error"] == error_text(space, FAILURE_MESSAGES["quota"])
    # enhance_prompt stands for a CPU function: no GPU quota, no failure.
    assert completed(queue_call(space, 2, 3, inputs[:1]))["output"]["data"] == [
        "boom [[quota]], highly detailed, 8k"
    ]


def test_space_urls_for_the_variant(spaces: dict[str, Space]) -> None:
    url = spaces["flux-dev-drifted"].url
    assert space_urls_for({"flux-dev-drifted": url}) == {
        "black-forest-labs/FLUX.1-dev": url,
        "roxky/FLUX.1-dev": url,
    }
