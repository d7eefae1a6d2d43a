"""Generate images and chat with Janus through hfspace_sdk's providers, as plain blocking code.

Against the real Hugging Face Spaces (needs internet; an HF_TOKEN raises your ZeroGPU quota):

    python examples/providers.py "a red fox in the snow"

Offline, against local look-alike Spaces started for the occasion (needs the `testing` extra):

    python examples/providers.py --offline "a red fox in the snow"
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from hfspace_sdk import (
    BlackForestLabs_Flux1Dev,
    DeepseekAI_JanusPro7b,
    HFSpaceError,
    ImagePreview,
    ImageResponse,
    JsonConversation,
    Reasoning,
)


@contextlib.contextmanager
def local_spaces() -> Iterator[Mapping[str, Any]]:
    """Start look-alike Spaces and a fake hub on 127.0.0.1; yield the provider options."""
    from hfspace_sdk.testing import serve_hub, serve_spaces, space_urls_for

    with serve_spaces("flux-dev", "janus") as urls, serve_hub() as hub:
        yield {"space_urls": space_urls_for(urls), "hub_url": hub.url}


def draw(options: Mapping[str, Any], prompt: str) -> str:
    """Generate with FLUX.1-dev, printing progress; return the final image URL."""
    messages = [{"role": "user", "content": prompt}]
    with BlackForestLabs_Flux1Dev(**options) as flux:
        for event in flux.create_completion(
            "flux-dev", messages, aspect_ratio="16:9", num_inference_steps=4
        ):
            if isinstance(event, Reasoning):
                print(f"  {event.status}")
            elif isinstance(event, ImagePreview):
                print(f"  preview: {event.urls[0]}")
            elif isinstance(event, ImageResponse):
                return event.urls[0]
    raise RuntimeError("the generation ended without an image")


def chat(options: Mapping[str, Any], question: str) -> None:
    """Ask Janus a question, then a follow-up in the same conversation."""
    with DeepseekAI_JanusPro7b(**options) as janus:
        messages = [{"role": "user", "content": question}]
        job = janus.submit("janus-pro-7b", messages)  # runs on the provider's thread pool
        conversation = None
        for event in job:
            if isinstance(event, JsonConversation):
                conversation = event
            elif isinstance(event, str):
                print(f"  Janus: {event}")
                messages += [
                    {"role": "assistant", "content": event},
                    {"role": "user", "content": "Say it shorter."},
                ]
        answer = janus.submit("janus-pro-7b", messages, conversation=conversation).result(
            timeout=300
        )
        print(f"  Janus, follow-up: {answer}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("prompt")
    parser.add_argument("--offline", action="store_true", help="use local look-alike Spaces")
    arguments = parser.parse_args(argv)
    spaces = local_spaces() if arguments.offline else contextlib.nullcontext({})
    try:
        with spaces as options:
            print("FLUX.1-dev:")
            print(f"  image: {draw(options, arguments.prompt)}")
            print("Janus-Pro-7B:")
            chat(options, f"Describe {arguments.prompt} in one sentence.")
    except HFSpaceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
