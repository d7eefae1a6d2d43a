"""Which real Hugging Face Spaces each look-alike impersonates (standard library only)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["LOOKALIKES", "check_names", "space_urls_for"]

#: Look-alike name -> the Space ids it impersonates.
LOOKALIKES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "flux-schnell": ("black-forest-labs/FLUX.1-schnell", "voodoohop/FLUX.1-schnell"),
        "flux-dev": ("black-forest-labs/FLUX.1-dev", "roxky/FLUX.1-dev"),
        "janus": ("deepseek-ai/Janus-Pro-7B", "roxky/Janus-Pro-7B"),
        "g4f-flux": ("roxky/g4f-flux",),
    }
)


def check_names(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Validate look-alike names (at least one, no unknown, no duplicates)."""
    if not names:
        raise ValueError(f"name at least one look-alike: {', '.join(LOOKALIKES)}")
    unknown = [n for n in names if n not in LOOKALIKES]
    if unknown:
        raise ValueError(
            f"unknown look-alike(s) {', '.join(unknown)}; expected some of {', '.join(LOOKALIKES)}"
        )
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate look-alike names in {list(names)}")
    return tuple(names)


def space_urls_for(urls: Mapping[str, str]) -> dict[str, str]:
    """Map every Space id impersonated by the given look-alikes to the look-alike's URL.

    ``urls`` is ``{look-alike name: base URL}`` (what :func:`serve_spaces` yields); the result
    is ``{space id: base URL}``, ready for the SDK's ``space_urls=``.
    """
    result: dict[str, str] = {}
    for name, url in urls.items():
        if name not in LOOKALIKES:
            raise KeyError(f"unknown look-alike {name!r}; expected one of {', '.join(LOOKALIKES)}")
        for space_id in LOOKALIKES[name]:
            result[space_id] = url.rstrip("/")
    return result
