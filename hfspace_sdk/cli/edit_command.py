"""``hfspace edit IMAGE PROMPT``: edit a picture with an instruction (FLUX.1-Kontext-dev).

It goes through the public :meth:`client.images.edit <hfspace_sdk.resources.images.Images.edit>`,
so the command behaves as the same call in Python: the edited image's URL on stdout, or with
``-o`` the saved file's path.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Optional

from ..client import Client
from ..errors import InvalidArgumentError
from ..images import Image, file_name_for, save_image_bytes
from .constants import EXIT_OK
from .output import OutputError, StatusLine, emit

__all__ = ["DEFAULT_EDIT_MODEL", "add_edit_parser", "edit_command"]

DEFAULT_EDIT_MODEL = "flux-kontext-dev"


def add_edit_parser(commands: Any) -> argparse.ArgumentParser:
    """Add ``edit`` to the subcommands; the parser (for the global options to be added)."""
    edit: argparse.ArgumentParser = commands.add_parser(
        "edit",
        help=f"edit an image with an instruction (default model: {DEFAULT_EDIT_MODEL})",
        description="Edit a PNG, JPEG, GIF or WebP image with an instruction; progress on "
        "stderr, the edited image's URL (or, with -o, the saved file) on stdout.",
        epilog='example:\n  hfspace edit photo.png "make it snowy" -o out.png',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    edit.add_argument("image", metavar="IMAGE", type=Path, help="the image file to edit")
    edit.add_argument("prompt", metavar="PROMPT", help="the instruction, e.g. 'make it snowy'")
    edit.add_argument(
        "--model",
        default=DEFAULT_EDIT_MODEL,
        help=f"editing model (default: {DEFAULT_EDIT_MODEL})",
    )
    edit.add_argument("--provider", help="force a provider by name (default: HuggingSpace)")
    edit.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="a fixed seed, for a repeatable edit (default: random)",
    )
    edit.add_argument("--steps", type=int, metavar="N", help="inference steps (default: 28)")
    edit.add_argument(
        "--guidance-scale", type=float, metavar="G", help="guidance scale (default: 2.5)"
    )
    edit.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PATH",
        help="save the edited image to PATH (a file, or an existing directory)",
    )
    edit.set_defaults(command_name="edit", command_parser=edit)
    return edit


def _params(args: argparse.Namespace) -> dict[str, Any]:
    params: dict[str, Any] = {
        "num_inference_steps": args.steps,
        "guidance_scale": args.guidance_scale,
        # a seed given is a seed used: the Space randomises it otherwise
        "randomize_seed": False if args.seed is not None else None,
    }
    return {key: value for key, value in params.items() if value is not None}


def _save(image: Image, output: Path, stem: str) -> Path:
    data = image.bytes()
    target = output / file_name_for(data, stem=stem) if output.is_dir() else output
    try:
        return save_image_bytes(data, target)
    except (OSError, InvalidArgumentError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise OutputError(f"cannot write {str(target)!r}: {reason}") from exc


def edit_command(args: argparse.Namespace, client: Client, status: StatusLine) -> int:
    """``hfspace edit IMAGE PROMPT [-o PATH]``: the edited image's URL or saved path on stdout.

    Raises:
        InvalidArgumentError: the image is missing or not an image, or -o names a missing
            directory (exit 2, before anything is sent).
        HFSpaceError: the edit failed.
        OutputError: the file could not be written.
    """
    output: Optional[Path] = args.output
    if output is not None and not (output if output.is_dir() else output.parent).is_dir():
        raise InvalidArgumentError(f"The directory {str(output.parent)!r} for -o does not exist")
    with client:
        status.update(f"Editing {args.image.name} with {args.model}")
        try:
            response = client.images.edit(
                args.image,
                args.prompt,
                model=args.model,
                provider=args.provider,
                seed=args.seed,
                **_params(args),
            )
        finally:
            status.end()
        for image in response.data:
            emit(str(_save(image, output, args.prompt)) if output is not None else image.url or "")
    return EXIT_OK
