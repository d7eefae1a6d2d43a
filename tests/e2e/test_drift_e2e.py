"""Every way of reaching FLUX.1-dev still works after its owner edited the Space.

The drifted look-alike registered a button and its listener before ``infer``: ``infer`` is fn 3
there, triggered by components 6 and 5, where g4f sends fn 2 and trigger 4. g4f's numbers would
run the new ``enhance_prompt`` (it returns a string, no image); the providers find ``infer`` by
its api name.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from image_checks import image_size

from hfspace_sdk import (
    G4F,
    BlackForestLabs_Flux1Dev,
    Client,
    FluxDev,
    HuggingSpace,
    ImagePreview,
    ImageResponse,
    Reasoning,
)
from hfspace_sdk.testing import FakeHub, space_urls_for

pytestmark = pytest.mark.e2e

FOX = [{"role": "user", "content": "a red fox"}]
SIZE = {"width": 512, "height": 384, "num_inference_steps": 3}


@pytest.fixture
def drifted_options(drifted_flux_dev: str, hub: FakeHub) -> dict[str, Any]:
    hub.reset()
    space_urls = space_urls_for({"flux-dev-drifted": drifted_flux_dev})
    return {"space_urls": space_urls, "hub_url": hub.url, "timeout": 60}


def accepted_fn_indexes(caplog: pytest.LogCaptureFixture) -> list[int]:
    """The fn_index of every job a Space accepted over the queue, from the SDK's log."""
    pattern = re.compile(r"^\S+ accepted fn (\d+) as \w+$")
    return [
        int(match.group(1))
        for record in caplog.records
        if record.name == "hfspace_sdk.gradio.queue_api"
        and (match := pattern.match(record.getMessage()))
    ]


def check_flux_dev_events(events: list[Any]) -> None:
    assert events[0] == Reasoning(status="Using 1 GPU")  # only infer reports the GPU
    assert any(isinstance(event, ImagePreview) for event in events)
    final = events[-1]
    assert type(final) is ImageResponse and final.alt == "a red fox"
    assert image_size(final.urls[0]) == (512, 384)


@pytest.mark.parametrize(
    ("provider_class", "model"),
    [
        (BlackForestLabs_Flux1Dev, "flux-dev"),
        (FluxDev, "flux"),
        (G4F, "flux-dev"),
        (HuggingSpace, "flux-dev"),
    ],
)
def test_each_provider_finds_infer_where_the_space_moved_it(
    provider_class: type,
    model: str,
    drifted_options: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="hfspace_sdk.gradio.queue_api")
    with provider_class(**drifted_options) as provider:
        events = list(provider.create_completion(model, FOX, **SIZE))
    check_flux_dev_events(events)
    assert accepted_fn_indexes(caplog) == [3]


def test_the_client_facade_too(
    drifted_options: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="hfspace_sdk.gradio.queue_api")
    with Client(**drifted_options) as client:
        result = client.images.generate("a red fox", model="flux-dev", size="512x384")
    assert image_size(result.data[0].url or "") == (512, 384)
    assert accepted_fn_indexes(caplog) == [3]
