"""Every provider by name: what ``provider="..."`` resolves to, and ``HuggingSpace``'s order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Union

from ..errors import InvalidArgumentError
from .aggregator import HuggingSpace
from .base import Provider
from .flux_dev import FluxDev

__all__ = ["PROVIDERS", "ProviderChoice", "resolve_provider"]

#: Every provider by class name: ``HuggingSpace`` first, then the Space providers it routes to
#: in its fallback order, then ``FluxDev``, which it reaches only through ``G4F``.
_IN_ORDER: tuple[type[Provider], ...] = (HuggingSpace, *HuggingSpace.providers, FluxDev)
PROVIDERS: Mapping[str, type[Provider]] = {provider.__name__: provider for provider in _IN_ORDER}

ProviderChoice = Union[str, type[Provider], None]


def resolve_provider(provider: ProviderChoice) -> type[Provider]:
    """A provider class from a class, a name (any case) or None (``HuggingSpace`` routes).

    Raises:
        InvalidArgumentError: an unknown name or a value that is not a provider.
    """
    if provider is None:
        return HuggingSpace
    if isinstance(provider, type) and issubclass(provider, Provider):
        return provider
    if isinstance(provider, str):
        for name, provider_class in PROVIDERS.items():
            if name.lower() == provider.lower():
                return provider_class
    raise InvalidArgumentError(
        f"Unknown provider {provider!r}; choose one of {', '.join(PROVIDERS)}"
    )
