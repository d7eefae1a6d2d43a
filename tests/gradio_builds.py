"""Which interpreter serves the look-alikes of each Gradio build the tests cover."""

from __future__ import annotations

import os
import sys

import pytest

#: Names an interpreter with gradio 4.44 (``.ci/run`` sets it): look-alikes run there too.
GRADIO4_ENV = "HFSPACE_GRADIO4_PYTHON"
#: The ``gradio_build`` fixture's values (see tests/conftest.py).
GRADIO_BUILDS = ("gradio-current", "gradio-4.44")


def python_for(build: str) -> str:
    """The interpreter that serves look-alikes for a Gradio build (skips the test without one)."""
    if build == "gradio-current":
        return sys.executable
    python = os.environ.get(GRADIO4_ENV)
    if not python:
        pytest.skip(f"{GRADIO4_ENV} is not set: no Gradio 4.44 interpreter for the look-alikes")
    return python
