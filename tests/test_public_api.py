"""The public surface is explicit: a pinned, sorted __all__ that imports cleanly, and py.typed."""

from __future__ import annotations

import importlib.resources
import subprocess
import sys

import hfspace_sdk

EXPECTED = [
    "G4F",
    "AllProvidersFailedError",
    "AllReplicasFailedError",
    "BlackForestLabs_Flux1Dev",
    "BlackForestLabs_Flux1KontextDev",
    "BlackForestLabs_Flux1Schnell",
    "ChatCompletion",
    "ChatCompletionChunk",
    "Client",
    "DeepseekAI_JanusPro7b",
    "Endpoint",
    "Event",
    "File",
    "FluxDev",
    "GenerationResult",
    "HFSpaceError",
    "HuggingSpace",
    "Image",
    "ImagePreview",
    "ImageResponse",
    "ImagesResponse",
    "InvalidArgumentError",
    "Job",
    "JobCancelledError",
    "JsonConversation",
    "MissingAuthError",
    "ModelNotFoundError",
    "ModelNotSupportedError",
    "Parameter",
    "ProtocolError",
    "Provider",
    "QueueFullError",
    "QueueStatus",
    "QuotaExceededError",
    "RateLimitError",
    "Reasoning",
    "ResponseError",
    "ResponseStatusError",
    "Settings",
    "Space",
    "SpaceConnectionError",
    "SpaceError",
    "SpaceNotRunningError",
    "SpaceSchemaError",
    "SpaceTimeoutError",
    "StabilityAI_SD35Large",
    "Timeout",
    "Voodoohop_Flux1Schnell",
    "ZeroGPUQuota",
    "__version__",
]


def test_all_is_pinned_and_every_name_exists():
    assert hfspace_sdk.__all__ == EXPECTED
    for name in hfspace_sdk.__all__:
        assert hasattr(hfspace_sdk, name), name


def test_every_error_derives_from_the_root():
    for name in hfspace_sdk.__all__:
        value = getattr(hfspace_sdk, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, hfspace_sdk.HFSpaceError), name


def test_the_package_is_typed():
    assert importlib.resources.files("hfspace_sdk").joinpath("py.typed").is_file()


def test_importing_does_not_load_gradio_tenacity_or_start_threads():
    code = (
        "import sys, threading, hfspace_sdk; "
        "print(sorted(m for m in ('gradio', 'tenacity', 'PIL') if m in sys.modules), threading.active_count())"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[] 1"
