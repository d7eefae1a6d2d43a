"""The command line's arguments: the parser, and the checks argparse cannot make."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

from .._version import __version__
from ..config import merge_space_urls, space_url_pairs
from ..errors import (
    InvalidArgumentError,
)
from .constants import (
    _DESCRIPTION,
    _EPILOG,
    CALL_EPILOG,
    DEFAULT_CHAT_MODEL,
    DEFAULT_IMAGE_MODEL,
    DEMO_PROMPT,
    DEMO_STEM,
    DEMO_TIMEOUT,
    PROG,
)
from .edit_command import add_edit_parser


def _space_url_pairs(text: str) -> list[tuple[str, str]]:
    try:
        return space_url_pairs(text)
    except InvalidArgumentError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {text!r}")
    return value


def _add_global_options(parser: argparse.ArgumentParser, *, where: str) -> None:
    """Options every command takes; ``where`` keeps values given before/after the command apart.

    Defaults are suppressed so that a value given before the command is not reset by the
    command's own parser; :func:`parse_arguments` merges both places.
    """
    group = parser.add_argument_group("global options (before or after the command)")
    group.add_argument(
        "--space-url",
        metavar="SPACE=URL",
        action="append",
        type=_space_url_pairs,
        dest=f"space_urls_{where}",
        default=argparse.SUPPRESS,
        help="send requests for Space SPACE (owner/name) to URL; repeatable, "
        "or comma-separated pairs; a SPACE given again adds a replica",
    )
    group.add_argument(
        "--hub-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="the hub that issues ZeroGPU tokens (default: $HF_ENDPOINT or huggingface.co)",
    )
    group.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        default=argparse.SUPPRESS,
        help="limit for a whole generation, also caps connect/read waits "
        "(default: the SDK's: 900 s in all, 10 s to connect, 60 s between bytes)",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        dest=f"verbose_{where}",
        default=argparse.SUPPRESS,
        help="log the SDK's activity on stderr (-v: info, -vv: debug)",
    )


def _add_image_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--width", type=int, metavar="W", help="image width in pixels (with --height)"
    )
    parser.add_argument(
        "--height", type=int, metavar="H", help="image height in pixels (with --width)"
    )
    parser.add_argument(
        "--aspect-ratio",
        metavar="R",
        help="a ratio such as 1:1, 16:9, 9:16, 4:3 or any W:H (not with --width/--height)",
    )
    parser.add_argument("--seed", type=int, metavar="N", help="random seed (default: random)")
    parser.add_argument(
        "--steps", type=int, metavar="N", help="inference steps (num_inference_steps)"
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``hfspace`` argument parser."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _add_global_options(parser, where="before")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    generate = commands.add_parser(
        "generate",
        help="generate an image (default model: flux)",
        description="Generate an image; progress on stderr, the image URL (or, with -o, the "
        "saved file) on stdout.",
    )
    generate.add_argument("prompt", metavar="PROMPT", help="what to draw")
    generate.add_argument(
        "--model",
        default=DEFAULT_IMAGE_MODEL,
        help=f"model or alias (default: {DEFAULT_IMAGE_MODEL}; see 'hfspace models')",
    )
    generate.add_argument(
        "--provider",
        metavar="NAME",
        help="provider class name (default: HuggingSpace, which tries every provider "
        "serving the model)",
    )
    _add_image_options(generate)
    generate.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="save the image to FILE (as is: the Spaces send WebP), or into directory FILE "
        "under a name made from the prompt",
    )
    _add_global_options(generate, where="after")
    generate.set_defaults(command_name="generate", command_parser=generate)

    chat = commands.add_parser(
        "chat",
        help="ask Janus-Pro-7B, optionally about an image",
        description="Ask a question, optionally about an image; the answer goes to stdout.",
    )
    chat.add_argument("prompt", metavar="PROMPT", help="the question")
    chat.add_argument("--image", metavar="FILE", help="a PNG, JPEG, GIF or WebP image to ask about")
    chat.add_argument(
        "--model", default=DEFAULT_CHAT_MODEL, help=f"model (default: {DEFAULT_CHAT_MODEL})"
    )
    chat.add_argument("--provider", metavar="NAME", help="provider class name")
    _add_global_options(chat, where="after")
    chat.set_defaults(command_name="chat", command_parser=chat)

    models = commands.add_parser(
        "models",
        help="list providers, their models and aliases",
        description="List every provider, the models it serves and its aliases.",
    )
    _add_global_options(models, where="after")
    models.set_defaults(command_name="models", command_parser=models)

    demo = commands.add_parser(
        "demo",
        help="generate offline with a bundled look-alike FLUX.1-dev Space",
        description="Start a look-alike FLUX.1-dev Space and a fake hub on 127.0.0.1, generate "
        "through the same code as 'generate', save the image, stop the Space and print the "
        "file's path. Nothing leaves this machine: --space-url and --hub-url are ignored, "
        f"and --timeout defaults to {DEMO_TIMEOUT:g} s. Needs gradio: "
        "pip install 'hfspace_sdk[testing]'.",
    )
    demo.add_argument(
        "prompt",
        metavar="PROMPT",
        nargs="?",
        default=DEMO_PROMPT,
        help=f"what to draw (default: {DEMO_PROMPT!r})",
    )
    _add_image_options(demo)
    demo.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help=f"where to save the image (default: ./{DEMO_STEM}.webp, the extension following "
        "the image's real type), or a directory",
    )
    _add_global_options(demo, where="after")
    demo.set_defaults(command_name="demo", command_parser=demo)
    _add_space_commands(commands)
    _add_global_options(add_edit_parser(commands), where="after")
    return parser


def _add_space_commands(commands: Any) -> None:
    """``api`` and ``call``: any Gradio Space, by id or URL; and ``quota``, the ZeroGPU quota."""
    api = commands.add_parser(
        "api",
        help="list the endpoints of any Gradio Space",
        description="List a Space's endpoints: each parameter as 'name: type = default' "
        "[component], and what it returns.",
    )
    api.add_argument("space", metavar="SPACE", help="a Space id (owner/name) or its base URL")
    api.add_argument(
        "--all", action="store_true", dest="include_hidden", help="also list hidden endpoints"
    )
    _add_global_options(api, where="after")
    api.set_defaults(command_name="api", command_parser=api)

    call = commands.add_parser(
        "call",
        help="call any endpoint of any Gradio Space",
        description="Call an endpoint; progress on stderr, its outputs on stdout: text and\n"
        "numbers one per line (JSON for lists and objects), files and images saved into\n"
        "the -o directory with their paths printed.",
        epilog=CALL_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    call.add_argument("space", metavar="SPACE", help="a Space id (owner/name) or its base URL")
    call.add_argument("api_name", metavar="ENDPOINT", help="the endpoint, e.g. /predict")
    call.add_argument(
        "values",
        metavar="VALUE",
        nargs="*",
        help="NAME=VALUE by parameter name, or VALUE by position; @PATH uploads a file",
    )
    call.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        type=Path,
        default=Path("."),
        help="directory for output files and images (created if missing; default: the "
        "current directory)",
    )
    _add_global_options(call, where="after")
    call.set_defaults(command_name="call", command_parser=call)

    quota = commands.add_parser(
        "quota",
        help="show the ZeroGPU quota left to your HF token (needs HF_TOKEN)",
        description="Show your ZeroGPU quota in seconds: the base, what remains, when it "
        "resets and the overquota used; warn on stderr when less than 10 %% remains.",
    )
    quota.add_argument("--json", action="store_true", help="print one JSON object instead")
    _add_global_options(quota, where="after")
    quota.set_defaults(command_name="quota", command_parser=quota)


def parse_arguments(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    """Parse and merge the global options given before and after the command.

    Raises:
        SystemExit: ``--help``, ``--version`` or a usage error (argparse's).
    """
    args = build_parser().parse_args(argv)
    flags: list[list[tuple[str, str]]] = [
        *getattr(args, "space_urls_before", []),
        *getattr(args, "space_urls_after", []),
    ]
    # a Space id given again adds a replica
    args.space_urls = merge_space_urls(pair for pairs in flags for pair in pairs)
    args.verbose = getattr(args, "verbose_before", 0) + getattr(args, "verbose_after", 0)
    args.hub_url = getattr(args, "hub_url", None)
    args.timeout = getattr(args, "timeout", None)
    _check_image_options(args)
    return args


def _check_image_options(args: argparse.Namespace) -> None:
    if not hasattr(args, "aspect_ratio"):
        return
    parser: argparse.ArgumentParser = args.command_parser
    if (args.width is None) != (args.height is None):
        parser.error("--width and --height go together: give both, or --aspect-ratio")
    if args.aspect_ratio is not None and args.width is not None:
        parser.error("give either --width/--height or --aspect-ratio, not both")
    if args.output is not None:
        _check_output(parser, args.output)


def _check_output(parser: argparse.ArgumentParser, output: Path) -> None:
    """Refuse an output path that cannot be written before spending a generation on it."""
    folder = output if output.is_dir() else output.parent
    if not folder.is_dir():
        parser.error(f"the directory {str(folder)!r} for -o does not exist")
    if not os.access(folder, os.W_OK):
        parser.error(f"the directory {str(folder)!r} for -o is not writable")
