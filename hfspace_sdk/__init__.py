"""hfspace_sdk: blocking access to image and chat models hosted on Hugging Face Spaces.

Providers keep g4f's names and events; every generation runs as a :class:`Job` on a thread
pool and is consumed as an iterator::

    from hfspace_sdk import BlackForestLabs_Flux1Dev

    for event in BlackForestLabs_Flux1Dev.create_completion("flux-dev", [{"role": "user", "content": "a red fox"}]):
        print(repr(event))
"""

import logging
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:  # what type checkers see; at run time the names load on first use
    from .client import Client
    from .completions import ChatCompletion, ChatCompletionChunk
    from .config import Settings, Timeout
    from .errors import (
        AllProvidersFailedError,
        AllReplicasFailedError,
        HFSpaceError,
        InvalidArgumentError,
        JobCancelledError,
        MissingAuthError,
        ModelNotFoundError,
        ModelNotSupportedError,
        ProtocolError,
        QueueFullError,
        QuotaExceededError,
        RateLimitError,
        ResponseError,
        ResponseStatusError,
        SpaceConnectionError,
        SpaceError,
        SpaceNotRunningError,
        SpaceSchemaError,
        SpaceTimeoutError,
    )
    from .events import Event, ImagePreview, ImageResponse, JsonConversation, Reasoning
    from .files import File
    from .gradio.api_info import Endpoint, Parameter
    from .images import Image, ImagesResponse
    from .jobs import Job
    from .providers import (
        G4F,
        BlackForestLabs_Flux1Dev,
        BlackForestLabs_Flux1KontextDev,
        BlackForestLabs_Flux1Schnell,
        DeepseekAI_JanusPro7b,
        FluxDev,
        HuggingSpace,
        Provider,
        StabilityAI_SD35Large,
        Voodoohop_Flux1Schnell,
    )
    from .queue_status import QueueStatus
    from .quota import ZeroGPUQuota
    from .resources.images import GenerationResult
    from .spaces import Space

# The public names are loaded on first use (PEP 562), so `import hfspace_sdk` stays cheap and
# a script pays only for what it touches (requests, the providers, the client).
_LOCATIONS: dict[str, str] = {
    "AllProvidersFailedError": ".errors",
    "AllReplicasFailedError": ".errors",
    "BlackForestLabs_Flux1Dev": ".providers",
    "BlackForestLabs_Flux1KontextDev": ".providers",
    "BlackForestLabs_Flux1Schnell": ".providers",
    "ChatCompletion": ".completions",
    "ChatCompletionChunk": ".completions",
    "Client": ".client",
    "DeepseekAI_JanusPro7b": ".providers",
    "Endpoint": ".gradio.api_info",
    "Event": ".events",
    "File": ".files",
    "FluxDev": ".providers",
    "G4F": ".providers",
    "GenerationResult": ".resources.images",
    "HFSpaceError": ".errors",
    "HuggingSpace": ".providers",
    "Image": ".images",
    "ImagePreview": ".events",
    "ImageResponse": ".events",
    "ImagesResponse": ".images",
    "InvalidArgumentError": ".errors",
    "Job": ".jobs",
    "JobCancelledError": ".errors",
    "JsonConversation": ".events",
    "MissingAuthError": ".errors",
    "ModelNotFoundError": ".errors",
    "ModelNotSupportedError": ".errors",
    "Parameter": ".gradio.api_info",
    "ProtocolError": ".errors",
    "Provider": ".providers",
    "QueueFullError": ".errors",
    "QueueStatus": ".queue_status",
    "QuotaExceededError": ".errors",
    "RateLimitError": ".errors",
    "Reasoning": ".events",
    "ResponseError": ".errors",
    "ResponseStatusError": ".errors",
    "Settings": ".config",
    "Space": ".spaces",
    "SpaceConnectionError": ".errors",
    "SpaceError": ".errors",
    "SpaceNotRunningError": ".errors",
    "SpaceSchemaError": ".errors",
    "SpaceTimeoutError": ".errors",
    "StabilityAI_SD35Large": ".providers",
    "Timeout": ".config",
    "Voodoohop_Flux1Schnell": ".providers",
    "ZeroGPUQuota": ".quota",
}


def __getattr__(name: str) -> Any:
    module_name = _LOCATIONS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'hfspace_sdk' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
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
