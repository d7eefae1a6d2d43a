"""Fixtures for the look-alike kit's tests.

One server process (every look-alike and variant) is started per interpreter and shared by the
whole session: this interpreter's gradio and the other ones named by ``HFSPACE_LOOKALIKE_PYTHON``
(e.g. a gradio 4.44 venv), ``HFSPACE_GRADIO4_PYTHON`` and ``HFSPACE_GRADIO5_PYTHON`` (the
gradio 4.44 and 5.50 venvs ``.ci/run`` builds); each gradio version once.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from gradio_builds import OTHER_BUILDS
from lookalike_wire import Space, load_space

from hfspace_sdk.testing import LOOKALIKE_NAMES, serve_spaces


def _same_interpreter(python: str) -> bool:
    # Not realpath: venv interpreters are symlinks to one base Python with different sys.prefix.
    return os.path.abspath(python) == os.path.abspath(sys.executable)


def _gradio_version(python: str) -> str | None:
    """gradio's version in ``python``'s environment, or None when it has no gradio."""
    if _same_interpreter(python):
        if importlib.util.find_spec("gradio") is None:
            return None
        from importlib.metadata import version

        return version("gradio")
    probe = subprocess.run(
        [python, "-c", "import importlib.metadata as m; print(m.version('gradio'))"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return probe.stdout.strip() if probe.returncode == 0 else None


#: The interpreter named for these tests (and the look-alike launcher's default): ``target_python``.
NAMED = os.environ.get("HFSPACE_LOOKALIKE_PYTHON", "")


def lookalike_interpreters() -> list[tuple[str, str]]:
    """(pytest id, interpreter) for every interpreter whose gradio the tests should cover."""
    others = [NAMED, *(os.environ.get(variable, "") for variable in OTHER_BUILDS.values())]
    candidates = [sys.executable]
    for python in filter(None, others):
        if not any(os.path.abspath(python) == os.path.abspath(c) for c in candidates):
            candidates.append(python)
    found: list[tuple[str, str]] = []
    for python in candidates:
        version = _gradio_version(python)
        if version is not None and version not in {v for v, _ in found}:
            found.append((version, python))
    return [(f"gradio-{version}", python) for version, python in found]


INTERPRETERS = lookalike_interpreters()
_PARAMS: list[Any] = [pytest.param(python, id=name) for name, python in INTERPRETERS] or [
    pytest.param("", id="no-gradio", marks=pytest.mark.skip(reason="no interpreter with gradio"))
]


@pytest.fixture(scope="session", params=_PARAMS)
def lookalike_python(request: pytest.FixtureRequest) -> str:
    """An interpreter with gradio (parametrized over all of them)."""
    python: str = request.param
    return python


@pytest.fixture(scope="session")
def target_python() -> str:
    """The interpreter for single-run e2e tests: ``HFSPACE_LOOKALIKE_PYTHON`` if usable, else
    this one (tests of server options that do not depend on the gradio version)."""
    if not INTERPRETERS:
        pytest.skip("no interpreter with gradio")
    for _, python in INTERPRETERS:
        if NAMED and os.path.abspath(python) == os.path.abspath(NAMED):
            return python
    return INTERPRETERS[0][1]


@pytest.fixture(scope="session")
def spaces(lookalike_python: str) -> Iterator[dict[str, Space]]:
    """Every look-alike and variant, served by one process on ``lookalike_python``."""
    with serve_spaces(*LOOKALIKE_NAMES, python=lookalike_python) as urls:
        yield {name: load_space(name, url) for name, url in urls.items()}
