"""Which interpreter serves the look-alikes of each Gradio build the tests cover."""

from __future__ import annotations

import os
import sys

import pytest

#: Names an interpreter with gradio 4.44 (``.ci/run`` sets it): look-alikes run there too.
GRADIO4_ENV = "HFSPACE_GRADIO4_PYTHON"
#: Names an interpreter with gradio 5.50 (``.ci/run`` sets it): look-alikes run there too.
GRADIO5_ENV = "HFSPACE_GRADIO5_PYTHON"
#: The builds served by another interpreter, and the variable that names it.
OTHER_BUILDS = {"gradio-4.44": GRADIO4_ENV, "gradio-5.50": GRADIO5_ENV}
#: The ``gradio_build`` fixture's values (see tests/conftest.py).
GRADIO_BUILDS = ("gradio-current", *OTHER_BUILDS)


def python_for(build: str) -> str:
    """The interpreter that serves look-alikes for a Gradio build (skips the test without one)."""
    if build == "gradio-current":
        return sys.executable
    variable = OTHER_BUILDS[build]
    python = os.environ.get(variable)
    if not python:
        version = build.removeprefix("gradio-")
        pytest.skip(f"{variable} is not set: no Gradio {version} interpreter for the look-alikes")
    return python
