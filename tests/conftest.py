"""The ``gradio`` marker: on every test that needs a Gradio server (a look-alike Space).

The look-alikes run on Gradio 6, which needs Python >= 3.10: ``.ci/run`` runs the whole suite on
one Python, and the tests without this marker (``-m "not gradio"``) on every other supported one.
A test is marked when it uses a fixture below (directly or through another fixture); a test that
starts a look-alike itself, or needs what gradio brings (numpy), carries ``@pytest.mark.gradio``.
"""

from __future__ import annotations

import pytest
from gradio_builds import GRADIO_BUILDS

#: Fixtures that start look-alike Spaces (real Gradio apps), by name, in every test directory.
GRADIO_FIXTURES = frozenset(
    {
        "lookalikes",  # e2e, lifecycle, security
        "failing_flux_dev",  # e2e
        "slow_flux_dev",  # e2e
        "drifted_flux_dev",  # e2e
        "fault_lookalikes",  # faults
        "spaces",  # cli, lookalike
        "lookalike_python",  # lookalike
        "target_python",  # lookalike
        "example_env",  # examples
        "demo_space",  # spaces, examples
    }
)


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if GRADIO_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gradio)


@pytest.fixture(scope="session", params=GRADIO_BUILDS)
def gradio_build(request: pytest.FixtureRequest) -> str:
    """Which Gradio the look-alike Spaces run: the current one, 5.50, or 4.44 (no API prefix)."""
    return str(request.param)
