"""A Space that no longer matches its provider fails with SpaceSchemaError before any submission.

Each case points a provider at a real look-alike of *another* Space: one without the endpoint
the provider calls, or one whose endpoint of the same name takes other inputs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

import pytest

from hfspace_sdk import (
    G4F,
    BlackForestLabs_Flux1Dev,
    BlackForestLabs_Flux1Schnell,
    DeepseekAI_JanusPro7b,
    SpaceSchemaError,
)

pytestmark = pytest.mark.e2e

FOX = [{"role": "user", "content": "a red fox"}]
SUBMISSIONS = re.compile(r"POST \S+/(queue/join|call/\w+|run/predict|upload)\b")

CASES = [
    pytest.param(
        BlackForestLabs_Flux1Dev,
        "flux-dev",
        "black-forest-labs/FLUX.1-dev",
        "flux-schnell",
        "/infer",
        "/infer of black-forest-labs/FLUX.1-dev takes 6 inputs (Prompt, Seed, Randomize seed, "
        "Width, Height, Number of inference steps) where 7 were expected: the Space has changed",
        id="flux-dev-inputs",
    ),
    pytest.param(
        BlackForestLabs_Flux1Schnell,
        "flux-schnell",
        "black-forest-labs/FLUX.1-schnell",
        "flux-dev",
        "/infer",
        "/infer of black-forest-labs/FLUX.1-schnell takes 7 inputs",
        id="flux-schnell-inputs",
    ),
    pytest.param(
        DeepseekAI_JanusPro7b,
        "janus-pro-7b",
        "deepseek-ai/Janus-Pro-7B",
        "flux-dev",
        "/multimodal_understanding",
        "deepseek-ai/Janus-Pro-7B has no endpoint /multimodal_understanding; it has "
        "/load_example, /load_cached_example, /infer",
        id="janus-missing",
    ),
    pytest.param(
        G4F,
        "flux-schnell",
        "roxky/g4f-flux",
        "janus",
        "/RealtimeFlux",
        "roxky/g4f-flux has no endpoint /RealtimeFlux; it has",
        id="g4f-flux-missing",
    ),
]


@pytest.mark.parametrize(
    ("provider_class", "model", "space_id", "served", "endpoint", "message"), CASES
)
def test_a_changed_space_is_never_called(
    provider_class: type,
    model: str,
    space_id: str,
    served: str,
    endpoint: str,
    message: str,
    lookalikes: Mapping[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="hfspace_sdk.http")
    with (
        provider_class(space_urls={space_id: lookalikes[served]}, timeout=60) as provider,
        pytest.raises(SpaceSchemaError) as caught,
    ):
        # A ZeroGPU token of the caller's own, so no hub is involved (schnell takes none).
        params = {} if provider_class is BlackForestLabs_Flux1Schnell else {"api_key": "hf_own"}
        list(provider.create_completion(model, FOX, **params))
    error = caught.value
    assert str(error).startswith(message)
    assert (error.space, error.endpoint) == (space_id, endpoint)
    sent = [record.getMessage() for record in caplog.records if record.name == "hfspace_sdk.http"]
    assert any(line.startswith("GET ") and line.endswith("/config") for line in sent), sent
    assert not [line for line in sent if SUBMISSIONS.search(line)], sent
