"""The ``demo`` Space for the generic-client tests, on the current Gradio and on 4.44.

``serve_space("demo")`` (the look-alike of ``hfspace_sdk.testing``) once it exists; until then
the stand-in ``demo_space.py`` beside this file, which has the same endpoints. Either runs in a
subprocess on 127.0.0.1, once per session and Gradio build, stopped by PID.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

import pytest
from space_support import DEMO_ID

from hfspace_sdk.testing import LOOKALIKES, LookalikeServer, serve_space

GRADIO4_ENV = "HFSPACE_GRADIO4_PYTHON"
HERE = Path(__file__).resolve().parent
_STARTUP_SECONDS = 120.0


def _python_for(build: str) -> str:
    if build == "gradio-current":
        return sys.executable
    python = os.environ.get(GRADIO4_ENV)
    if not python:
        pytest.skip(f"{GRADIO4_ENV} is not set: no Gradio 4.44 interpreter for the demo Space")
    return python


@contextmanager
def _serve_stand_in(python: str) -> Iterator[str]:
    """Run ``demo_space.py`` until the block ends (closing its stdin stops it)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(HERE.parents[1]), *filter(None, [env.get("PYTHONPATH")])]
    )
    with tempfile.TemporaryFile(prefix="hfspace-demo-") as log:  # a file: stderr never blocks
        process = subprocess.Popen(
            [python, str(HERE / "demo_space.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            env=env,
        )
        server = LookalikeServer(process, log)
        try:
            yield _ready_url(process, log)
        finally:
            server.stop()


def _ready_url(process: subprocess.Popen[bytes], log: Any) -> str:
    lines: queue.Queue[Optional[bytes]] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in iter(process.stdout.readline, b""):
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    while True:
        try:
            line = lines.get(timeout=_STARTUP_SECONDS)
        except queue.Empty:
            line = None
        if line is None:
            log.seek(0)
            raise RuntimeError(f"the demo Space did not start: {log.read()[-3000:]!r}")
        if line.startswith(b"READY "):
            return str(json.loads(line[len(b"READY ") :])["demo"])


@pytest.fixture(scope="session", params=["gradio-current", "gradio-4.44"])
def space_build(request: pytest.FixtureRequest) -> str:
    """Which Gradio the demo Space runs: the current one, or 4.44 (no API prefix)."""
    return str(request.param)


@pytest.fixture(scope="session")
def demo_space(space_build: str) -> Iterator[str]:
    """The base URL of a running demo Space."""
    python = _python_for(space_build)
    if "demo" in LOOKALIKES:
        with serve_space("demo", python=python) as url:
            yield url
    else:
        with _serve_stand_in(python) as url:
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
