"""Fixtures of the fault-injection suite: the fault server, the leak-checking ``case``, look-alikes.

Every scenario test runs through ``case`` (see fault_case.py): it times the public call, checks
the exception type and message against the scenario's declaration (fault_scenarios.py), checks
from the server's log which requests were sent (so nothing that enqueues a job is ever sent
twice), and after the test checks that the client left no thread, socket or file descriptor
behind. Measured times are printed in the terminal summary; the generated table in
docs/reliability.md holds only configured bounds.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from typing import Any, Optional

import pytest
from fault_case import EXECUTED, FULL_RUN, HERE, INFRASTRUCTURE, LOOKALIKE_THREAD, RESULTS, Case
from fault_scenarios import SCENARIOS
from fault_server import FaultServer

from hfspace_sdk.testing import serve_spaces

# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No token, hub, Space override or proxy from the environment may change a scenario."""
    for name in ("HF_TOKEN", "HF_ENDPOINT", "HFSPACE_SPACE_URLS"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    """A fresh Gradio-6-like fault server (and hub) on 127.0.0.1, stopped and joined after."""
    with FaultServer() as fault_server:
        yield fault_server


class _Lookalikes:
    """The four real Gradio look-alike Spaces in one subprocess, heartbeats every 0.2 s.

    Gradio takes seconds to start, so the subprocess is started in the background as soon as
    the selected tests are known to need it, and runs while the other fault tests do; its
    thread, pipes and log file are infrastructure the leak checks ignore (see fault_case.py).
    """

    def __init__(self) -> None:
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self.urls: dict[str, str] = {}
        self.error: Optional[BaseException] = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name=LOOKALIKE_THREAD, daemon=True)
            self._thread.start()

    def _serve(self) -> None:
        try:
            with serve_spaces(
                "flux-schnell", "flux-dev", "janus", "g4f-flux", heartbeat_interval=0.2
            ) as urls:
                self.urls = dict(urls)
                self._ready.set()
                self._stop.wait()
        except BaseException as exc:  # reported to the tests that need the look-alikes
            self.error = exc
        finally:
            self._ready.set()

    def wait(self, timeout: float = 300.0) -> dict[str, str]:
        self.start()
        if not self._ready.wait(timeout):
            raise RuntimeError(f"the look-alike Spaces did not start within {timeout:g} s")
        if self.error is not None:
            raise RuntimeError(f"the look-alike Spaces failed to start: {self.error}")
        return self.urls

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)


_LOOKALIKES = pytest.StashKey[_Lookalikes]()


@pytest.fixture(scope="session")
def fault_lookalikes(request: pytest.FixtureRequest) -> Iterator[Mapping[str, str]]:
    """``{look-alike name: base URL}`` of the running look-alike Spaces."""
    lookalikes = request.config.stash[_LOOKALIKES]
    yield lookalikes.wait()
    lookalikes.stop()


@pytest.fixture
def case(request: pytest.FixtureRequest) -> Iterator[Case]:
    """The scenario runner; its teardown checks threads, sockets and file descriptors."""
    for name in INFRASTRUCTURE:
        if name in request.fixturenames:
            request.getfixturevalue(name)
    server = request.getfixturevalue("server") if "server" in request.fixturenames else None
    runner = Case(request.node, server)
    try:
        yield runner
        report = getattr(request.node, "rep_call", None)
        passed = report is not None and report.passed
        problems = []
        if passed and runner.scenario is not None and not runner.finished:
            try:
                runner.finish()
            except AssertionError as exc:
                problems.append(f"requests sent: {exc}")
        if runner.scenario is not None:
            try:
                runner.check_leaks()
            except AssertionError as exc:
                problems.append(f"leaks: {exc}")
        assert not problems, "\n".join(problems)
    finally:
        runner.close()


# --- hooks ----------------------------------------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RESULTS] = []
    config.stash[EXECUTED] = set()
    config.stash[FULL_RUN] = False
    config.stash[_LOOKALIKES] = _Lookalikes()


def pytest_unconfigure(config: pytest.Config) -> None:
    lookalikes = config.stash.get(_LOOKALIKES, None)
    if lookalikes is not None:
        lookalikes.stop()


_DESELECTED = pytest.StashKey[bool]()


def pytest_deselected(items: list[pytest.Item]) -> None:
    for item in items:
        if os.path.dirname(str(item.path)) == HERE:
            item.config.stash[_DESELECTED] = True


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the look-alike tests, then the doc checks, last; note whether the suite ran whole."""
    mine = [item for item in items if os.path.dirname(str(item.path)) == HERE]
    files = {os.path.basename(str(item.path)) for item in mine}
    every_file = {name for name in os.listdir(HERE) if name.startswith("test_fault_")}
    config.stash[FULL_RUN] = files == every_file and not config.stash.get(_DESELECTED, False)
    lookalike = [item for item in mine if "fault_lookalikes" in getattr(item, "fixturenames", ())]
    if lookalike and len(mine) == len(items):
        # Only this suite runs: start the look-alikes in the background while the other fault
        # tests run. (Alongside other suites, the fixture starts them when first needed, so
        # that their thread and pipes never appear in another suite's leak checks.)
        config.stash[_LOOKALIKES].start()
    docs = [item for item in mine if "reliability_doc" in str(item.path)]
    for item in lookalike + docs:  # the look-alikes get as long as possible to start
        items.remove(item)
    items.extend(lookalike + docs)


@pytest.fixture
def fault_suite(request: pytest.FixtureRequest) -> tuple[bool, set[str]]:
    """(whether every fault test was selected, the scenario keys run so far)."""
    config = request.config
    return config.stash[FULL_RUN], config.stash[EXECUTED]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    results = config.stash.get(RESULTS, [])
    if not results:
        return
    terminalreporter.section("fault scenarios: measured times")
    for measured in results:
        bound = SCENARIOS[measured.key].bound
        elapsed = "—" if measured.elapsed is None else f"{measured.elapsed:.2f} s"
        notes = f" [{'; '.join(measured.notes)}]" if measured.notes else ""
        terminalreporter.write_line(
            f"{measured.key:28} {measured.outcome or '?':22} {elapsed:>8}  (bound: {bound}){notes}"
        )
