"""Which real Hugging Face Spaces each look-alike impersonates (standard library only).

:data:`LOOKALIKES` maps each look-alike to its Space ids, every Space id to one look-alike, so
``space_urls_for(urls)`` of any set of them is unambiguous. :data:`VARIANTS` are look-alikes of
a Space of :data:`LOOKALIKES` as its owner later changed it (same Space ids, another layout on
the wire); :func:`space_urls_for` maps a Space id to a variant only when the variant was served
without the look-alike of :data:`LOOKALIKES` that impersonates the same Space.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["LOOKALIKES", "LOOKALIKE_NAMES", "VARIANTS", "check_names", "space_urls_for"]

#: Look-alike name -> the Space ids it impersonates (each Space id appears once).
LOOKALIKES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "flux-schnell": ("black-forest-labs/FLUX.1-schnell", "voodoohop/FLUX.1-schnell"),
        "flux-dev": ("black-forest-labs/FLUX.1-dev", "roxky/FLUX.1-dev"),
        "janus": ("deepseek-ai/Janus-Pro-7B", "roxky/Janus-Pro-7B"),
        "g4f-flux": ("roxky/g4f-flux",),
        "flux-kontext": ("black-forest-labs/FLUX.1-Kontext-Dev",),
        "sd35-large": ("stabilityai/stable-diffusion-3.5-large",),
        "demo": ("hfspace-sdk/demo",),  # made up: a small Space with many kinds of endpoints
    }
)

#: Variant name -> the Space ids (of :data:`LOOKALIKES`) it impersonates in another layout.
VARIANTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        # FLUX.1-dev with a button and an event added before infer: infer is fn 3, not 2.
        "flux-dev-drifted": ("black-forest-labs/FLUX.1-dev", "roxky/FLUX.1-dev"),
    }
)

#: Every name :func:`serve_spaces` accepts: the look-alikes, then the variants.
LOOKALIKE_NAMES: tuple[str, ...] = (*LOOKALIKES, *VARIANTS)


def _impersonated(name: str) -> tuple[str, ...]:
    ids = LOOKALIKES.get(name) or VARIANTS.get(name)
    if ids is None:
        raise KeyError(f"unknown look-alike {name!r}; expected one of {', '.join(LOOKALIKE_NAMES)}")
    return ids


def check_names(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Validate look-alike names (at least one, no unknown, no duplicates)."""
    if not names:
        raise ValueError(f"name at least one look-alike: {', '.join(LOOKALIKE_NAMES)}")
    unknown = [n for n in names if n not in LOOKALIKE_NAMES]
    if unknown:
        raise ValueError(
            f"unknown look-alike(s) {', '.join(unknown)}; "
            f"expected some of {', '.join(LOOKALIKE_NAMES)}"
        )
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate look-alike names in {list(names)}")
    return tuple(names)


def space_urls_for(urls: Mapping[str, str]) -> dict[str, str]:
    """Map every Space id impersonated by the given look-alikes to the look-alike's URL.

    ``urls`` is ``{look-alike name: base URL}`` (what :func:`serve_spaces` yields); the result
    is ``{space id: base URL}``, ready for the SDK's ``space_urls=``. A variant (e.g.
    ``flux-dev-drifted``) gets its Space ids unless the look-alike of :data:`LOOKALIKES` for the
    same Space is also given; two variants of one Space without it are ambiguous
    (``ValueError``).
    """
    result: dict[str, str] = {}
    owner: dict[str, str] = {}
    impersonated = {name: _impersonated(name) for name in urls}  # KeyError if unknown
    # Look-alikes of LOOKALIKES first: a variant only gets the Space ids they leave.
    for name in sorted(urls, key=lambda n: n in VARIANTS):  # (a stable sort)
        for space_id in impersonated[name]:
            if space_id in owner:
                if owner[space_id] in VARIANTS:
                    raise ValueError(
                        f"{owner[space_id]!r} and {name!r} both impersonate {space_id}; "
                        "serve one of them, or the look-alike of the Space itself"
                    )
                continue
            owner[space_id] = name
            result[space_id] = urls[name].rstrip("/")
    return result
