"""Generate an image with FLUX on Hugging Face Spaces and save it.

    python examples/generate_image.py "a red fox in the snow"
    python examples/generate_image.py "a red fox in the snow" -o fox.webp --model flux-dev --size 1024x576

The progress bar needs tqdm (pip install "hfspace_sdk[progress]"). The Spaces answer with WebP
images; without -o the file is named after the prompt (a-red-fox-in-the-snow.webp).

Configuration comes from the environment: HF_TOKEN (your ZeroGPU quota), and HFSPACE_SPACE_URLS
to use duplicated or local Spaces instead of the public ones, e.g.
HFSPACE_SPACE_URLS="black-forest-labs/FLUX.1-dev=http://127.0.0.1:7860".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hfspace_sdk import Client, HFSpaceError, Settings, Timeout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("prompt", help="what to draw")
    parser.add_argument(
        "-o", "--output", default=".", help="a file, or a directory (default: the current one)"
    )
    parser.add_argument("--model", default="flux", help="flux (default), flux-schnell or flux-dev")
    parser.add_argument("--size", help="WIDTHxHEIGHT, e.g. 1024x576 (default: the model's)")
    args = parser.parse_args(argv)

    # One Settings object can configure every client and provider of a program; options it
    # leaves out come from the environment (HF_TOKEN, HFSPACE_SPACE_URLS, ...).
    settings = Settings.from_options(timeout=Timeout(total=600))
    try:
        with Client(settings=settings) as client:
            # Blocks until the image is ready; progress=True draws a bar with the Space's
            # status ("Using 1 GPU", "Sampling 8/28", ..., "Finished").
            result = client.images.generate(
                args.prompt, model=args.model, size=args.size, progress=True
            )
        # Results outlive their client: the images download now, with the client's settings.
        # Into a directory: every image, named after the prompt. To a file: the first one.
        output = Path(args.output)
        paths = result.save(output) if output.is_dir() else [result.data[0].save(output)]
    except HFSpaceError as error:
        # Bad input (an unknown model, a malformed size) or a failed generation.
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
