"""Edit an image with an instruction (FLUX.1-Kontext-dev on Hugging Face Spaces) and save it.

    python examples/edit_image.py photo.png "make it snowy" -o snowy.png
    python examples/edit_image.py photo.png "add a red scarf" --seed 7 --steps 20

The Space answers with a WebP image; an -o name with another image extension (.png, .jpg)
is converted with Pillow. Without -o the file is named after the instruction.

Configuration comes from the environment: HF_TOKEN (your ZeroGPU quota), and HFSPACE_SPACE_URLS
to use a duplicated or local Space instead of the public one, e.g.
HFSPACE_SPACE_URLS="black-forest-labs/FLUX.1-Kontext-Dev=http://127.0.0.1:7860".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hfspace_sdk import Client, HFSpaceError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("image", type=Path, help="the PNG, JPEG, GIF or WebP image to edit")
    parser.add_argument("instruction", help="what to change, e.g. 'make it snowy'")
    parser.add_argument(
        "-o", "--output", default=".", help="a file, or a directory (default: the current one)"
    )
    parser.add_argument("--seed", type=int, help="a fixed seed (default: a random one)")
    parser.add_argument("--steps", type=int, default=28, help="inference steps (default: 28)")
    args = parser.parse_args(argv)

    seed = {} if args.seed is None else {"seed": args.seed, "randomize_seed": False}
    try:
        with Client(timeout=600) as client:
            # The image is read and checked at once (a missing file or a non-image fails here,
            # before anything is sent), then uploaded to the Space with the instruction.
            result = client.images.edit(
                args.image, args.instruction, num_inference_steps=args.steps, **seed
            )
        output = Path(args.output)
        paths = result.save(output) if output.is_dir() else [result.data[0].save(output)]
    except HFSpaceError as error:
        # Bad input (no such file, not an image) or a failed edit (the Space's own message).
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
