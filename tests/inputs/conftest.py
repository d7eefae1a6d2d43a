"""Fixtures for the bad-input tests: no network, a clean environment, and a tally of inputs tried.

Every bad input must be rejected before any request: calls run inside a ``responses`` mock with
nothing registered (``no_requests``), and the command-line subprocesses point every Space and the
hub at a local recorder that must stay silent (``silent_server``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from input_support import SilentServer, Tally, recording_mock

_TALLY = pytest.StashKey[Tally]()

#: The environment variables the SDK reads; cleared for every test so nothing leaks in.
SDK_ENV = ("HF_TOKEN", "HF_ENDPOINT", "HFSPACE_SPACE_URLS")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_TALLY] = Tally()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    tally = config.stash.get(_TALLY, None)
    if tally is not None and tally.calls:
        terminalreporter.write_line(
            f"hfspace_sdk bad inputs tried: {tally.calls} rejections checked "
            f"({len(tally.values)} distinct bad inputs at {len(tally.entry_points)} entry points)"
        )


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Tally:
    return request.config.stash[_TALLY]


@pytest.fixture(autouse=True)
def _clean_sdk_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SDK_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def no_requests() -> Iterator[responses.RequestsMock]:
    """A ``requests`` mock with nothing registered: every request the SDK sends is recorded.

    Tests check ``calls`` themselves (``expect_rejection``), so that a known bug that does send
    requests is still a clean strict xfail rather than a fixture error.
    """
    with recording_mock() as mocked:
        yield mocked


@pytest.fixture(scope="module")
def silent_server() -> Iterator[SilentServer]:
    """A local server that records any request: a rejected input must send it nothing."""
    with SilentServer() as server:
        yield server
