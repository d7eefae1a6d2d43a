"""Fixtures for transport tests: a fake Space answered by `responses`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from gradio_answers import BASE, SPACE_ID

from hfspace_sdk.cancel import CancelScope
from hfspace_sdk.config import Settings
from hfspace_sdk.gradio.space import GradioApp
from hfspace_sdk.http import HttpClient


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def http() -> Iterator[HttpClient]:
    client = HttpClient(Settings.from_options(environ={}, timeout=30))
    yield client
    client.close()


@pytest.fixture
def space(http: HttpClient) -> GradioApp:
    return GradioApp(SPACE_ID, BASE, http, sleep=lambda _: None)


@pytest.fixture
def scope() -> CancelScope:
    return CancelScope(30.0)
