"""The Space providers, one module per Space family, and the HuggingSpace aggregator."""

from .aggregator import HuggingSpace
from .base import Provider
from .flux_dev import BlackForestLabs_Flux1Dev, FluxDev
from .flux_kontext import BlackForestLabs_Flux1KontextDev
from .flux_schnell import BlackForestLabs_Flux1Schnell, Voodoohop_Flux1Schnell
from .g4f import G4F
from .janus import DeepseekAI_JanusPro7b
from .registry import PROVIDERS, ProviderChoice, resolve_provider
from .sd35_large import StabilityAI_SD35Large

__all__ = [
    "G4F",
    "PROVIDERS",
    "BlackForestLabs_Flux1Dev",
    "BlackForestLabs_Flux1KontextDev",
    "BlackForestLabs_Flux1Schnell",
    "DeepseekAI_JanusPro7b",
    "FluxDev",
    "HuggingSpace",
    "Provider",
    "ProviderChoice",
    "StabilityAI_SD35Large",
    "Voodoohop_Flux1Schnell",
    "resolve_provider",
]
