"""Fixtures for the security tests: secrets, a clean environment, recording servers, look-alikes.

The secrets are distinctive strings, so a leak is a plain substring search in whatever the test
captured (requests a server received, log records, reprs, exception text).
"""

from __future__ import annotations

import contextlib
import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import pytest
from security_secrets import HUB_ZEROGPU, PAGE_TOKEN, SECRETS
from security_servers import (
    ForwardProxy,
    HubBehaviour,
    Recorder,
    SpaceBehaviour,
    fake_hub,
    gradio_space,
    self_signed_certificate,
)

_ENV = (
    "HF_TOKEN",
    "HF_ENDPOINT",
    "HFSPACE_SPACE_URLS",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "PYTHONHTTPSVERIFY",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)
_CHECKS = pytest.StashKey[list[int]]()
_CHECKS_LOCK = threading.Lock()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_CHECKS] = [0]


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    checks = config.stash.get(_CHECKS, [0])[0]
    if checks:
        terminalreporter.write_line(
            f"hfspace_sdk security checks made: {checks} secret-free assertions"
        )


@pytest.fixture
def leak_check(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """``leak_check(text, where, secrets=SECRETS)``: assert no secret occurs in ``text`` (counted)."""
    counter = request.config.stash[_CHECKS]

    def check(text: str, where: str, secrets: tuple[str, ...] = SECRETS) -> None:
        with _CHECKS_LOCK:
            counter[0] += 1
        found = [secret for secret in secrets if secret in text]
        assert not found, f"{where} holds {found}: {text[:3000]}"

    return check


@pytest.fixture(autouse=True)
def _clean_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    # requests reads ~/.netrc (or $NETRC) for credentials: isolate the tests from this machine's.
    monkeypatch.setenv("NETRC", str(tmp_path_factory.getbasetemp() / "no-such-netrc"))


@pytest.fixture
def hub() -> Iterator[Recorder]:
    behaviour = HubBehaviour(zerogpu_token=HUB_ZEROGPU, page_token=PAGE_TOKEN)
    with Recorder("hub", fake_hub(behaviour)) as recorder:
        recorder.behaviour = behaviour  # type: ignore[attr-defined]
        yield recorder


@pytest.fixture
def space() -> Iterator[Recorder]:
    behaviour = SpaceBehaviour()
    with Recorder("space", gradio_space(behaviour)) as recorder:
        recorder.behaviour = behaviour  # type: ignore[attr-defined]
        yield recorder


@pytest.fixture
def other() -> Iterator[Recorder]:
    """Another server: reached as ``localhost`` it is another host; as 127.0.0.1, another port."""
    with Recorder("other", gradio_space(SpaceBehaviour())) as recorder:
        yield recorder


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    with ForwardProxy() as recorder:
        yield recorder


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (made with cryptography or openssl)."""
    try:
        return self_signed_certificate(str(tmp_path_factory.mktemp("tls")))
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"cannot make a test certificate: {exc}")


class _Lookalikes:
    """The real look-alike Spaces, started in a background thread (see below)."""

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self.urls: Optional[dict[str, str]] = None
        self.error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._start, name="lookalikes", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            from hfspace_sdk.testing import serve_spaces, space_urls_for

            urls = self._stack.enter_context(serve_spaces("flux-dev", "janus"))
            self.urls = space_urls_for(urls)
        except BaseException as exc:  # reported by the fixture
            self.error = exc

    def wait(self) -> dict[str, str]:
        self._thread.join(timeout=180)
        if self.urls is None:
            raise RuntimeError(f"the look-alike Spaces did not start: {self.error!r}")
        return self.urls

    def close(self) -> None:
        self._thread.join(timeout=180)
        self._stack.close()


_HERE = Path(__file__).parent
_LOOKALIKES = pytest.StashKey[_Lookalikes]()
_WANTED = pytest.StashKey[bool]()


def _needs_lookalikes(item: pytest.Item) -> bool:
    return "lookalikes" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)  # after -k/-m deselection
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the tests that need the look-alikes last among this directory's tests."""
    mine = [i for i, item in enumerate(items) if _HERE in Path(str(item.path)).parents]
    needs = [items[i] for i in mine if _needs_lookalikes(items[i])]
    config.stash[_WANTED] = bool(needs)
    if not needs:
        return
    last = mine[-1]
    rest = [item for item in items[: last + 1] if item not in needs]
    items[:] = rest + needs + items[last + 1 :]


@pytest.fixture(scope="session", autouse=True)
def _start_lookalikes_early(request: pytest.FixtureRequest) -> Iterator[None]:
    """At the first test of this directory, start the look-alikes in the background (if a
    selected test needs them): Gradio takes seconds to start, and those tests run last."""
    config = request.config
    if config.stash.get(_WANTED, False) and importlib.util.find_spec("gradio") is not None:
        config.stash[_LOOKALIKES] = _Lookalikes()
    yield
    lookalikes = config.stash.get(_LOOKALIKES, None)
    if lookalikes is not None:
        lookalikes.close()


@pytest.fixture(scope="session")
def lookalikes(request: pytest.FixtureRequest) -> dict[str, str]:
    """The real look-alike Spaces (Gradio apps in one subprocess): Space id -> base URL."""
    pytest.importorskip("gradio")
    lookalikes = request.config.stash.get(_LOOKALIKES, None)
    if lookalikes is None:  # not started early: start them now
        lookalikes = request.config.stash[_LOOKALIKES] = _Lookalikes()
    return lookalikes.wait()
