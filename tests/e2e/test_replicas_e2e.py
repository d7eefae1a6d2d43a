"""Replicas on real Gradio: two FLUX.1-dev look-alikes and one replica that is down."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from gradio_builds import python_for

from hfspace_sdk import Client, ImageResponse, Reasoning
from hfspace_sdk.testing import FakeHub, serve_spaces

SPACE = "black-forest-labs/FLUX.1-dev"


@pytest.fixture(scope="module")
def two_flux_devs(gradio_build: str) -> Iterator[list[str]]:
    with (
        serve_spaces("flux-dev", python=python_for(gradio_build)) as first,
        serve_spaces("flux-dev", python=python_for(gradio_build)) as second,
    ):
        yield [first["flux-dev"], second["flux-dev"]]


def test_jobs_spread_over_replicas_and_skip_one_that_is_down(
    two_flux_devs: list[str], hub: FakeHub
) -> None:
    down = "http://127.0.0.1:9"  # discard port: nothing listens
    urls = [down, *two_flux_devs]
    with Client(space_urls={SPACE: urls}, hub_url=hub.url, timeout=60) as client:
        jobs = [
            client.submit(
                "flux-dev",
                f"a fox {index}",
                provider="BlackForestLabs_Flux1Dev",
                num_inference_steps=2,
            )
            for index in range(8)
        ]
        runs = [list(job) for job in jobs]
    finals = [events[-1] for events in runs]
    assert all(isinstance(final, ImageResponse) for final in finals)
    served = Counter(final.options["replica"] for final in finals)
    assert set(served) == set(two_flux_devs)  # both live replicas served, the down one none
    for final in finals:  # each image is served by the replica that made it
        assert final.urls[0].startswith(final.options["replica"])
    placements = [
        event.status
        for events in runs
        for event in events
        if isinstance(event, Reasoning) and (event.status or "").startswith("On replica")
    ]
    assert any(down in status for status in placements)  # tried, failed, moved on
    assert all(f"of 3 of {SPACE}" in status for status in placements)


def test_the_generic_client_places_each_job_on_a_replica(
    two_flux_devs: list[str], hub: FakeHub
) -> None:
    with Client(space_urls={SPACE: two_flux_devs}, hub_url=hub.url, timeout=60) as client:
        space = client.space(SPACE)
        jobs = [
            space.submit("/infer", f"a fox {index}", num_inference_steps=2) for index in range(6)
        ]
        runs = [list(job) for job in jobs]
    placed_on = []
    for events in runs:
        [status] = [
            event.status
            for event in events
            if isinstance(event, Reasoning) and (event.status or "").startswith("On replica")
        ]
        replica = next(url for url in two_flux_devs if f"({url})" in status)
        image, _seed = events[-1]
        assert image.url.startswith(replica)  # the job's outputs come from where it ran
        placed_on.append(replica)
    assert set(placed_on) == set(two_flux_devs)
