"""Fixtures of the lifecycle tests: look-alike Spaces, a fake hub, and a stub Space.

The look-alike servers are two subprocesses started once per session, in the background as
soon as collection shows a test needs them (their start is mostly importing gradio, while the
stub-only tests run): ``fast`` (no compute time, for volume) and ``slow`` (every call computes
for 30 s, one call at a time per Space function, so that a second job waits in the Gradio
queue; for cancels, closes and interrupts — every test cancels its jobs on the Space, which
frees the slot at once). The fake hub runs in a subprocess too, so that its request threads
never count as threads of the process under test.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lifecycle_support import StubSpace

from hfspace_sdk.testing import space_urls_for
from hfspace_sdk.testing.launcher import LookalikeServer, start_server

ALL_LOOKALIKES = ("flux-schnell", "flux-dev", "janus", "g4f-flux")
SLOW_SECONDS = 30.0
_ENV = ("HF_TOKEN", "HF_ENDPOINT", "HFSPACE_SPACE_URLS")


@dataclass(frozen=True)
class Lookalikes:
    """Base URLs of the session's look-alike servers."""

    fast: dict[str, str]
    slow: dict[str, str]  # 30 s per call, one call at a time per Space function

    @property
    def queue(self) -> str:
        """The slow FLUX.1-dev: a second job waits in its Gradio queue."""
        return self.slow["flux-dev"]

    def options(self, hub_url: str, *, slow: bool = False, **extra: Any) -> dict[str, Any]:
        """Client/provider keywords sending every request to the look-alikes and the fake hub."""
        urls = space_urls_for(self.slow if slow else self.fast)
        return {"space_urls": urls, "hub_url": hub_url, "timeout": 120, **extra}


@pytest.fixture(autouse=True)
def _no_environment_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HF token, hub or Space redirect from the developer's environment."""
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)


class _Launch:
    """The session's look-alike servers, started in the background once collection shows that
    a test here needs them (the stub-only tests run meanwhile; gradio's import is slow)."""

    def __init__(self) -> None:
        self._futures: dict[str, Future[LookalikeServer]] = {}
        self._lock = threading.Lock()

    def start(self) -> dict[str, Future[LookalikeServer]]:
        with self._lock:
            if not self._futures:
                launches = {
                    "fast": lambda: start_server(*ALL_LOOKALIKES, concurrency_limit=8),
                    "slow": lambda: start_server(
                        *ALL_LOOKALIKES, compute_seconds=SLOW_SECONDS, concurrency_limit=1
                    ),
                }
                pool = ThreadPoolExecutor(len(launches), thread_name_prefix="lookalike-start")
                self._futures = {name: pool.submit(launch) for name, launch in launches.items()}
                pool.shutdown(wait=False)
            return self._futures

    def close(self) -> None:
        """Stop every server that started (all at once, then reap each). Idempotent."""
        with self._lock:
            futures, self._futures = self._futures, {}
        servers = []
        for future in futures.values():
            with contextlib.suppress(Exception):  # a failed start was reported by the fixture
                servers.append(future.result())
        for server in servers:
            with contextlib.suppress(ProcessLookupError):
                server.process.terminate()
        for server in servers:
            server.close()


_LAUNCH = _Launch()
_HERE = Path(__file__).resolve().parent


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly:
        return
    needed = any(
        "lookalikes" in getattr(item, "fixturenames", ()) and _HERE in item.path.parents
        for item in session.items
    )
    if needed:
        _LAUNCH.start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    _LAUNCH.close()  # when the fixture never ran to its teardown (-x, Ctrl-C)


@pytest.fixture(scope="session")
def lookalikes() -> Iterator[Lookalikes]:
    futures = _LAUNCH.start()
    try:
        servers = {name: future.result() for name, future in futures.items()}
        yield Lookalikes(fast=dict(servers["fast"].urls), slow=dict(servers["slow"].urls))
    finally:
        _LAUNCH.close()


@pytest.fixture(scope="session")
def hub_url() -> Iterator[str]:
    """The fake Hugging Face hub, in a subprocess (``python -m hfspace_sdk.testing hub``)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "hfspace_sdk.testing", "hub"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        assert line.startswith("READY "), f"the fake hub did not start: {line!r}"
        yield json.loads(line[len("READY ") :])["hub"]
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture(scope="session")
def _stub_server() -> Iterator[StubSpace]:
    stub = StubSpace()
    try:
        yield stub
    finally:
        stub.close()


@pytest.fixture
def stub(_stub_server: StubSpace) -> Iterator[StubSpace]:
    """The stub Space, reset: answers everything, nothing recorded yet."""
    _stub_server.reset()
    yield _stub_server
    _stub_server.reset()
