"""The secrets the security tests plant, and where each may go (a uniquely named module).

They are distinctive strings: a leak is a plain substring search in whatever a test captured.
"""

from __future__ import annotations

HF_TOKEN = "hf_SECRETxHFtokenx0123456789"
COOKIE = "COOKIExSECRETx987654"
API_KEY = "zgAPIKEYxSECRETx555"  # a ZeroGPU token the caller passes as api_key
HUB_ZEROGPU = "zgHUBxISSUEDxSECRETx777"  # the ZeroGPU tokens the hub issues (+ ":owner/name")
PAGE_TOKEN = "zgPAGExSECRETx333"  # the ZeroGPU token embedded in a Space's hub page
SECRETS = (HF_TOKEN, COOKIE, API_KEY, HUB_ZEROGPU, PAGE_TOKEN)
HUB_SECRETS = (HF_TOKEN, COOKIE)  # may go to the hub, nowhere else
ZEROGPU_SECRETS = (API_KEY, HUB_ZEROGPU, PAGE_TOKEN)  # may go to the Space they are for
SECRET_HEADERS = (
    "authorization",
    "cookie",
    "x-zerogpu-token",
    "x-zerogpu-uuid",
    "proxy-authorization",
)

#: Every Space id the providers use.
SPACE_IDS = (
    "black-forest-labs/FLUX.1-dev",
    "roxky/FLUX.1-dev",
    "black-forest-labs/FLUX.1-schnell",
    "voodoohop/FLUX.1-schnell",
    "deepseek-ai/Janus-Pro-7B",
    "roxky/Janus-Pro-7B",
    "roxky/g4f-flux",
)


def no_wait(seconds: float) -> None:
    """The ``retry_sleep`` of tests that go through retries: the tries happen, without waiting."""


def space_urls_to(url: str, space_ids: tuple[str, ...] = SPACE_IDS) -> dict[str, str]:
    """Every Space id mapped to one base URL."""
    return {space: url for space in space_ids}
