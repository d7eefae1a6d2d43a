"""A sleeping Space woken by a job, then the same Space paused: offline, with the testing hub.

    python examples/sleeping_space.py "a lighthouse at dusk"

The fake hub reports roxky/FLUX.1-dev as SLEEPING; a front answers for the Space as *.hf.space
does (503 pages) until a visit wakes it, then passes every request through to a local FLUX.1-dev
look-alike. The job shows each stage as a Reasoning status, then the image. Paused by its owner,
the Space ends the next job at once with SpaceNotRunningError and what to do about it.
"""

from __future__ import annotations

import sys

from hfspace_sdk import (
    FluxDev,
    ImagePreview,
    ImageResponse,
    Reasoning,
    SpaceNotRunningError,
    Timeout,
)
from hfspace_sdk.testing import serve_hub, serve_space, serve_space_front

SPACE = "roxky/FLUX.1-dev"


def generate(flux: FluxDev, prompt: str) -> None:
    messages = [{"role": "user", "content": prompt}]
    for event in flux.create_completion("flux-dev", messages, num_inference_steps=2):
        if isinstance(event, Reasoning) and SPACE in (event.status or ""):
            print(f"status: {event.status}")
        elif isinstance(event, ImageResponse) and not isinstance(event, ImagePreview):
            print(f"image: {event.urls[0]}")  # the final image (previews are ImageResponses too)


def main(prompt: str) -> int:
    with serve_hub() as hub, serve_space("flux-dev") as lookalike:
        space = hub.add_space(SPACE, "SLEEPING", start_seconds=2)
        with (
            serve_space_front(space, lookalike) as front,
            FluxDev(
                hub_url=hub.url, space_urls={SPACE: front.url}, timeout=Timeout(total=120, wake=60)
            ) as flux,
        ):
            generate(flux, prompt)
            space.set_stage("PAUSED")
            try:
                generate(flux, prompt)
            except SpaceNotRunningError as error:
                print(f"not running: {error.stage}: {error}")
                return 0
    print("the paused Space ran a job", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(" ".join(sys.argv[1:]) or "a lighthouse at dusk"))
