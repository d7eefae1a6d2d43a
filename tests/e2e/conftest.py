"""Real Gradio look-alike Spaces for end-to-end tests, on the current Gradio, 5.50 and 4.44.

Every look-alike runs in a subprocess on 127.0.0.1, started once per session and per Gradio
build, and stopped by PID. Set ``HFSPACE_GRADIO4_PYTHON`` and ``HFSPACE_GRADIO5_PYTHON`` to
interpreters with gradio 4.44 and 5.50 (``.ci/run`` does) to run the whole suite against the
unprefixed 4.x API and the prefixed 5.x API too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from gradio_builds import python_for

from hfspace_sdk.testing import FakeHub, serve_hub, serve_space, serve_spaces, space_urls_for

ALL_LOOKALIKES = ("flux-schnell", "flux-dev", "janus", "g4f-flux", "flux-kontext", "sd35-large")


@pytest.fixture(scope="session")
def lookalikes(gradio_build: str) -> Iterator[Mapping[str, str]]:
    with serve_spaces(*ALL_LOOKALIKES, python=python_for(gradio_build)) as urls:
        yield dict(urls)


@pytest.fixture(scope="session")
def failing_flux_dev(gradio_build: str) -> Iterator[str]:
    """A FLUX.1-dev look-alike whose every job fails with a Space error."""
    with serve_space("flux-dev", fail="error", python=python_for(gradio_build)) as url:
        yield url


@pytest.fixture(scope="session")
def slow_flux_dev(gradio_build: str) -> Iterator[str]:
    """A FLUX.1-dev look-alike that computes for a minute (for cancel tests)."""
    with serve_space("flux-dev", compute_seconds=60.0, python=python_for(gradio_build)) as url:
        yield url


@pytest.fixture(scope="session")
def drifted_flux_dev(gradio_build: str) -> Iterator[str]:
    """FLUX.1-dev after an edit by its owner: ``infer`` moved from fn 2 to fn 3."""
    with serve_space("flux-dev-drifted", python=python_for(gradio_build)) as url:
        yield url


@pytest.fixture(scope="session")
def hub() -> Iterator[FakeHub]:
    with serve_hub() as fake_hub:
        yield fake_hub


@pytest.fixture
def options(lookalikes: Mapping[str, str], hub: FakeHub) -> dict[str, Any]:
    """Provider keywords that send every Space and hub request to the local look-alikes."""
    hub.reset()
    return {"space_urls": space_urls_for(lookalikes), "hub_url": hub.url, "timeout": 60}


@pytest.fixture
def before_gradio6(gradio_build: str) -> bool:
    """Whether the look-alikes run a Gradio before 6.0 (4.44 or 5.50)."""
    return gradio_build in {"gradio-4.44", "gradio-5.50"}
