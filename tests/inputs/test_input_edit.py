"""Bad images and bad edit requests at every entry point that edits (FLUX.1-Kontext-dev):
rejected before any request, with a message that names the problem."""

from __future__ import annotations

import re
from typing import Any

import pytest
from input_support import drain, expect_rejection, reject_everywhere
from test_input_media import CORRUPT

from hfspace_sdk import BlackForestLabs_Flux1KontextDev, Client, HuggingSpace, Image

INSTRUCTION = "make it snowy"
MESSAGES = [{"role": "user", "content": INSTRUCTION}]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
MODEL = "flux-kontext-dev"


def _entries() -> list[tuple[str, Any]]:
    """(name, call(image)) for every entry point that sends an image to edit."""
    entries: list[tuple[str, Any]] = []
    for provider in (BlackForestLabs_Flux1KontextDev, HuggingSpace):
        name = provider.__name__

        def on_class(image: Any, provider: Any = provider) -> Any:
            return provider.create_completion(MODEL, MESSAGES, media=image)

        def on_instance(image: Any, provider: Any = provider) -> Any:
            with provider() as instance:
                return drain(instance.create_completion(MODEL, MESSAGES, media=image))

        entries += [(f"{name} (class)", on_class), (f"{name} (instance)", on_instance)]

    def edit(image: Any) -> Any:
        with Client() as client:
            return client.images.edit(image, INSTRUCTION)

    def submit(image: Any) -> Any:
        with Client() as client:
            client.submit(MODEL, INSTRUCTION, media=image).cancel()

    return [*entries, ("Client.images.edit", edit), ("Client.submit", submit)]


ENTRIES = _entries()
#: One image each (a list is refused by images.edit itself; a file object is read only once).
SINGLE = [c for c in CORRUPT if not re.search(r"list|pair|file of|mode", c[0])]


@pytest.mark.parametrize(("label", "make", "match"), SINGLE, ids=[c[0] for c in SINGLE])
def test_bad_images_to_edit_are_rejected_before_any_request(label, make, match, tmp_path, tally):
    image = make(tmp_path)

    def check(entry: str, call: Any, mocked: Any) -> None:
        tally.add(entry, f"image to edit: {label}")
        error = expect_rejection(lambda: call(image), mocked)
        assert re.search(match, str(error)), (entry, match, str(error))

    reject_everywhere(
        (entry, lambda mocked, entry=entry, call=call: check(entry, call, mocked))
        for entry, call in ENTRIES
    )


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda c: c.images.edit(None, INSTRUCTION), "needs an image"),
        (lambda c: c.images.edit([PNG, PNG], INSTRUCTION), "edits one image"),
        (lambda c: c.images.edit(PNG, INSTRUCTION, media=PNG), "not media="),
        (lambda c: c.images.edit(PNG, ""), "prompt is empty"),
        (lambda c: c.images.edit(PNG, INSTRUCTION, n=0), "n must be"),
        (lambda c: c.images.edit(PNG, INSTRUCTION, response_format="png"), "response_format"),
        (lambda c: c.images.edit(PNG, INSTRUCTION, num_inference_steps=0), "num_inference_steps"),
        (lambda c: c.images.edit(PNG, INSTRUCTION, model="nope"), "not found"),
        (lambda c: c.images.edit(Image(), INSTRUCTION), "neither a url nor b64_json"),
    ],
)
def test_bad_edit_requests_are_rejected_before_any_request(call, match, no_requests):
    with Client() as client:
        error = expect_rejection(lambda: call(client), no_requests)
    assert re.search(match, str(error)), str(error)
