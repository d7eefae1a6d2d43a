"""The ``demo`` look-alike Space for the generic-client tests, on the current Gradio, 5.50 and 4.44.

It runs in a subprocess on 127.0.0.1, started once per session and Gradio build, and is stopped
by PID (see :func:`hfspace_sdk.testing.serve_space`). Set ``HFSPACE_GRADIO4_PYTHON`` and
``HFSPACE_GRADIO5_PYTHON`` to interpreters with gradio 4.44 and 5.50 (``.ci/run`` does) to cover
Gradio's unprefixed 4.x API and the 5.x API too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import responses
from gradio_builds import python_for
from space_support import DEMO_ID, STUB_BASE, STUB_HUB

from hfspace_sdk import Client
from hfspace_sdk.testing import serve_space


@pytest.fixture(scope="session")
def demo_space(gradio_build: str) -> Iterator[str]:
    """The base URL of a running demo Space."""
    with serve_space("demo", python=python_for(gradio_build)) as url:
        yield url


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's HF_TOKEN or Space URLs never change what these tests see."""
    for name in ("HF_TOKEN", "HF_ENDPOINT", "HFSPACE_SPACE_URLS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def demo_options(demo_space: str) -> dict[str, Any]:
    """Client options that send the demo's Space id to the running demo."""
    return {"space_urls": {DEMO_ID: demo_space}, "timeout": 60}


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    """``responses`` for the stub tests (a test names the routes it needs)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def client() -> Iterator[Client]:
    """A client sending the demo's Space id to the stub (end-to-end modules define their own)."""
    with Client(
        space_urls={DEMO_ID: STUB_BASE}, hub_url=STUB_HUB, timeout=30, retry_sleep=lambda _: None
    ) as built:
        yield built
