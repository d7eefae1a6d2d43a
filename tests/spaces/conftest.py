"""The ``demo`` look-alike Space for the generic-client tests, on the current Gradio and 4.44.

It runs in a subprocess on 127.0.0.1, started once per session and Gradio build, and is stopped
by PID (see :func:`hfspace_sdk.testing.serve_space`). Set ``HFSPACE_GRADIO4_PYTHON`` to an
interpreter with gradio 4.44 (``.ci/run`` does) to cover Gradio's unprefixed 4.x API too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from space_support import DEMO_ID

from hfspace_sdk.testing import serve_space

GRADIO4_ENV = "HFSPACE_GRADIO4_PYTHON"


def _python_for(build: str) -> str:
    if build == "gradio-current":
        return sys.executable
    python = os.environ.get(GRADIO4_ENV)
    if not python:
        pytest.skip(f"{GRADIO4_ENV} is not set: no Gradio 4.44 interpreter for the demo Space")
    return python


@pytest.fixture(scope="session", params=["gradio-current", "gradio-4.44"])
def space_build(request: pytest.FixtureRequest) -> str:
    """Which Gradio the demo Space runs: the current one, or 4.44 (no API prefix)."""
    return str(request.param)


@pytest.fixture(scope="session")
def demo_space(space_build: str) -> Iterator[str]:
    """The base URL of a running demo Space."""
    with serve_space("demo", python=_python_for(space_build)) as url:
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
