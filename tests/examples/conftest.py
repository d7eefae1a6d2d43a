"""Local look-alike Spaces and a fake hub for the examples, and the environment that uses them.

The examples are configured only through the SDK's environment variables, as a user's would be:
``HFSPACE_SPACE_URLS`` sends every Space request to the look-alikes, ``HF_ENDPOINT`` every hub
request to the fake hub. The servers are started once for the whole directory.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pytest
from PIL import Image as PILImage

from hfspace_sdk.testing import serve_hub, serve_spaces, space_urls_for


@pytest.fixture(scope="session")
def example_env() -> Iterator[dict[str, str]]:
    """Environment variables pointing the SDK at local look-alikes (no network needed)."""
    with (
        serve_spaces("flux-schnell", "flux-dev", "janus", "flux-kontext") as urls,
        serve_hub() as hub,
    ):
        space_urls = ",".join(f"{space}={url}" for space, url in space_urls_for(urls).items())
        # HF_TOKEN is blanked so a developer's real token never changes what the tests see.
        yield {"HFSPACE_SPACE_URLS": space_urls, "HF_ENDPOINT": hub.url, "HF_TOKEN": ""}


@pytest.fixture(scope="module")
def env_patch(example_env: dict[str, str]) -> Iterator[pytest.MonkeyPatch]:
    """A module-wide MonkeyPatch with ``example_env`` set, for examples built in-process."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in example_env.items():
            patch.setenv(name, value)
        yield patch


def _decoded_size(data: bytes) -> tuple[int, int]:
    with PILImage.open(io.BytesIO(data)) as picture:
        picture.load()
        return picture.size


@pytest.fixture(scope="session")
def image_size() -> Callable[[bytes], tuple[int, int]]:
    """``image_size(data)``: the (width, height) of image bytes; fails unless Pillow decodes them."""
    return _decoded_size
