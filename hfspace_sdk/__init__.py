"""hfspace_sdk: blocking access to image and chat models hosted on Hugging Face Spaces.

Providers keep g4f's names and events; every generation runs as a :class:`Job` on a thread
pool and is consumed as an iterator::

    from hfspace_sdk import BlackForestLabs_Flux1Dev

    for event in BlackForestLabs_Flux1Dev.create_completion("flux-dev", [{"role": "user", "content": "a red fox"}]):
        print(repr(event))
"""

import logging

from ._version import __version__
from .client import Client, GenerationResult
from .completions import ChatCompletion, ChatCompletionChunk
from .config import Settings, Timeout
from .errors import (
    AllProvidersFailedError,
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
    SpaceTimeoutError,
)
from .events import Event, ImagePreview, ImageResponse, JsonConversation, Reasoning
from .images import Image, ImagesResponse
from .jobs import Job
from .providers import (
    G4F,
    BlackForestLabs_Flux1Dev,
    BlackForestLabs_Flux1Schnell,
    DeepseekAI_JanusPro7b,
    FluxDev,
    HuggingSpace,
    Provider,
    Voodoohop_Flux1Schnell,
)

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "G4F",
    "AllProvidersFailedError",
    "BlackForestLabs_Flux1Dev",
    "BlackForestLabs_Flux1Schnell",
    "ChatCompletion",
    "ChatCompletionChunk",
    "Client",
    "DeepseekAI_JanusPro7b",
    "Event",
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
    "ProtocolError",
    "Provider",
    "QueueFullError",
    "QuotaExceededError",
    "RateLimitError",
    "Reasoning",
    "ResponseError",
    "ResponseStatusError",
    "Settings",
    "SpaceConnectionError",
    "SpaceError",
    "SpaceTimeoutError",
    "Timeout",
    "Voodoohop_Flux1Schnell",
    "__version__",
]
