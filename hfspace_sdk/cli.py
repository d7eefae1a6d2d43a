"""The ``hfspace`` command line (also ``python -m hfspace_sdk``).

This module owns what the SDK shows a person at a terminal: argument parsing, the live status
line on stderr, messages, exit codes and the offline demo. It is the only part of the package
that prints, and it reaches the Spaces only through the public :class:`~hfspace_sdk.Client`
(``client.images.stream``, ``client.chat.completions.create``, ``client.download``), so a
command behaves exactly like the same call in Python.

Exit codes: 0 success; 1 the generation failed (an ``HFSpaceError``) or the image could not be
saved; 2 usage (bad options, or input the SDK rejected before sending anything); 130
interrupted. Results go to stdout, everything else (status, warnings, errors, logs) to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, TextIO

from ._version import __version__
from .client import PROVIDERS, Client
from .completions import ChatCompletion
from .config import SPACE_URLS_ENV, parse_space_urls
from .errors import (
    HFSpaceError,
    InvalidArgumentError,
    MissingAuthError,
    QuotaExceededError,
    ResponseError,
)
from .events import Event, ImagePreview, ImageResponse, Reasoning
from .images import file_name_for, save_image_bytes
from .providers import Provider

__all__ = ["EXIT_FAILURE", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "StatusLine", "main"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

PROG = "hfspace"
DEFAULT_IMAGE_MODEL = "flux"
DEFAULT_CHAT_MODEL = "janus-pro-7b"
DEMO_PROMPT = "a red fox in the snow"
DEMO_STEM = "hfspace-demo"
#: The demo's per-job time limit when ``--timeout`` is not given (the Space is local).
DEMO_TIMEOUT = 120.0
_LOOKALIKE_PYTHON_ENV = "HFSPACE_LOOKALIKE_PYTHON"  # same as hfspace_sdk.testing.PYTHON_ENV_VAR

_DESCRIPTION = """\
Generate images and chat with Janus-Pro-7B through Hugging Face Spaces (FLUX.1-schnell,
FLUX.1-dev, Janus-Pro-7B), from the command line.

Global options may come before or after the command:
  hfspace --timeout 60 generate "a red fox"   or   hfspace generate "a red fox" --timeout 60
"""

_EPILOG = """\
environment:
  HF_TOKEN             an HF access token (raises your ZeroGPU quota)
  HF_ENDPOINT          the hub that issues ZeroGPU tokens (default https://huggingface.co)
  HFSPACE_SPACE_URLS   Space URL overrides: owner/name=URL,owner/name=URL
                       (--space-url adds to and overrides these)

exit codes:
  0    success
  1    the generation failed (Space error, network, timeout, quota) or the image
       could not be saved
  2    usage: bad options, or input rejected before anything is sent (unknown model
       or provider, bad size or aspect ratio, missing output directory, not an image)
  130  interrupted (Ctrl-C)

examples:
  hfspace generate "a red fox in the snow" --aspect-ratio 16:9 -o fox.webp
  hfspace generate "a lighthouse" --model flux-schnell --width 1024 --height 576
  hfspace chat "What is in this picture?" --image fox.webp
  hfspace models
  hfspace demo -o demo.webp          (offline: needs pip install 'hfspace_sdk[testing]')
"""


class OutputError(Exception):
    """The image was generated but could not be saved (exit 1)."""


# --- the status line ------------------------------------------------------------------------


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _terminal_width(stream: TextIO) -> int:
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80
    return columns if columns > 0 else 80


class StatusLine:
    """Progress on stderr: one line rewritten with ``\\r`` on a terminal, else one line per status.

    On a terminal the line shows the latest status and the number of previews; elsewhere
    (a pipe, a log file) each new status is printed once, on its own line.
    """

    def __init__(self, stream: TextIO, *, live: Optional[bool] = None) -> None:
        self._stream = stream
        self._live = _is_tty(stream) if live is None else live
        self._status = ""
        self._shown = ""

    def update(self, status: str, previews: int = 0) -> None:
        """Show ``status`` (and how many previews arrived so far)."""
        status = " ".join(status.split())
        line = f"{PROG}: {status}"
        if previews:
            line += f" ({previews} preview{'' if previews == 1 else 's'})"
        if self._live:
            self._rewrite(line)
        elif status and status != self._status:
            self._stream.write(line + "\n")
            self._stream.flush()
        self._status = status

    def _rewrite(self, line: str) -> None:
        line = line[: max(20, _terminal_width(self._stream) - 1)]
        if line == self._shown:
            return
        padding = " " * max(0, len(self._shown) - len(line))
        self._stream.write(f"\r{line}{padding}")
        self._stream.flush()
        self._shown = line

    def end(self) -> None:
        """Keep the last status on screen and move to the next line."""
        if self._live and self._shown:
            self._stream.write("\n")
            self._stream.flush()
        self._shown = ""

    def clear(self) -> None:
        """Erase the live line (nothing to do for line-by-line output)."""
        if self._live and self._shown:
            self._stream.write("\r" + " " * len(self._shown) + "\r")
            self._stream.flush()
        self._shown = ""


# --- output helpers -------------------------------------------------------------------------


def _out(text: str) -> None:
    """Print a result line on stdout, whatever the terminal's encoding can show."""
    try:
        print(text, file=sys.stdout, flush=True)
    except UnicodeEncodeError:
        encoding = getattr(sys.stdout, "encoding", None) or "ascii"
        safe = text.encode(encoding, "backslashreplace").decode(encoding, "replace")
        print(safe, file=sys.stdout, flush=True)


def _err(text: str) -> None:
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)


def _hint(error: HFSpaceError) -> Optional[str]:
    """A short piece of advice for errors a person can do something about."""
    if isinstance(error, QuotaExceededError):
        wait = f"retry in {error.retry_after} s, or " if error.retry_after else ""
        return f"{wait}set HF_TOKEN to an access token to raise your ZeroGPU quota"
    if isinstance(error, MissingAuthError):
        return "set HF_TOKEN to a valid Hugging Face access token"
    return None


def _report(error: BaseException, code: int) -> int:
    _err(f"error: {error}")
    if isinstance(error, HFSpaceError):
        hint = _hint(error)
        if hint:
            _err(f"hint: {hint}")
    return code


# --- argument parsing -----------------------------------------------------------------------


def _space_url_pairs(text: str) -> dict[str, str]:
    try:
        return parse_space_urls(text)
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
    command's own parser; :func:`_parse` merges both places.
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
        "or comma-separated pairs",
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
    generate.set_defaults(handler=_cmd_generate, command_parser=generate)

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
    chat.set_defaults(handler=_cmd_chat, command_parser=chat)

    models = commands.add_parser(
        "models",
        help="list providers, their models and aliases",
        description="List every provider, the models it serves and its aliases.",
    )
    _add_global_options(models, where="after")
    models.set_defaults(handler=_cmd_models, command_parser=models)

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
    demo.set_defaults(handler=_cmd_demo, command_parser=demo)
    return parser


def _parse(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    """Parse and merge the global options given before and after the command.

    Raises:
        SystemExit: ``--help``, ``--version`` or a usage error (argparse's).
    """
    args = build_parser().parse_args(argv)
    pairs: list[dict[str, str]] = [
        *getattr(args, "space_urls_before", []),
        *getattr(args, "space_urls_after", []),
    ]
    args.space_urls = {key: value for pair in pairs for key, value in pair.items()}
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


def _configure_logging(verbosity: int) -> Optional[tuple[logging.Handler, int]]:
    """Send the ``hfspace_sdk`` logger to stderr at INFO (-v) or DEBUG (-vv).

    Returns what :func:`_restore_logging` needs to undo it (None when nothing was changed).
    """
    if verbosity <= 0:
        return None
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"{PROG}: %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("hfspace_sdk")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbosity == 1 else logging.DEBUG)
    return handler, previous


def _restore_logging(change: Optional[tuple[logging.Handler, int]]) -> None:
    if change is not None:
        handler, previous = change
        logger = logging.getLogger("hfspace_sdk")
        logger.removeHandler(handler)
        logger.setLevel(previous)


# --- building the client --------------------------------------------------------------------


def _space_urls(args: argparse.Namespace) -> Optional[dict[str, str]]:
    """``--space-url`` pairs over ``HFSPACE_SPACE_URLS``; None leaves the SDK to read the env."""
    given: dict[str, str] = args.space_urls
    if not given:
        return None
    merged = {
        key.lower(): value
        for key, value in parse_space_urls(os.environ.get(SPACE_URLS_ENV, "")).items()
    }
    merged.update({key.lower(): value for key, value in given.items()})
    return merged


def _client(args: argparse.Namespace) -> Client:
    return Client(space_urls=_space_urls(args), hub_url=args.hub_url, timeout=args.timeout)


# --- generating and saving images -----------------------------------------------------------


@dataclass(frozen=True)
class ImageRequest:
    """What ``generate`` and ``demo`` ask the SDK for."""

    prompt: str
    model: str = DEFAULT_IMAGE_MODEL
    provider: Optional[str] = None
    width: Optional[int] = None
    height: Optional[int] = None
    aspect_ratio: Optional[str] = None
    seed: Optional[int] = None
    steps: Optional[int] = None

    def params(self) -> dict[str, Any]:
        """Keyword arguments for ``client.images.stream``; unset values are left out."""
        params: dict[str, Any] = {
            "width": self.width,
            "height": self.height,
            "aspect_ratio": self.aspect_ratio,
            "seed": self.seed,
            "num_inference_steps": self.steps,
        }
        return {key: value for key, value in params.items() if value is not None}


def _image_request(
    args: argparse.Namespace, *, model: str, provider: Optional[str]
) -> ImageRequest:
    return ImageRequest(
        prompt=args.prompt,
        model=model,
        provider=provider,
        width=args.width,
        height=args.height,
        aspect_ratio=args.aspect_ratio,
        seed=args.seed,
        steps=args.steps,
    )


def _close(events: Iterator[Event]) -> None:
    close = getattr(events, "close", None)
    if close is not None:
        close()


def generate_image(client: Client, request: ImageRequest, status: StatusLine) -> ImageResponse:
    """Run one generation, showing its statuses and previews; return the final image.

    Raises:
        InvalidArgumentError: the SDK rejected the request before sending it.
        HFSpaceError: the generation failed.
    """
    events = client.images.stream(
        request.prompt, model=request.model, provider=request.provider, **request.params()
    )
    final: Optional[ImageResponse] = None
    current, previews = f"Submitting to {request.model}", 0
    status.update(current)
    try:
        for event in events:
            if isinstance(event, ImagePreview):
                previews += 1
            elif isinstance(event, ImageResponse):
                final = event
            elif isinstance(event, Reasoning) and event.status:
                current = event.status
            else:
                continue
            status.update(current, previews)
    finally:
        _close(events)
        status.end()
    if final is None or not final.urls:
        raise ResponseError("The generation ended without an image")
    return final


def _target(output: Optional[Path], data: bytes, stem: str, index: Optional[int]) -> Path:
    """Where one image goes: ``output``, a name inside the ``output`` directory, or ./stem."""
    if output is None:
        return Path(file_name_for(data, stem=stem, index=index))
    if output.is_dir():
        return output / file_name_for(data, stem=stem, index=index)
    if index is None:
        return output
    return output.with_name(f"{output.stem}-{index}{output.suffix}")


def save_images(
    client: Client, final: ImageResponse, output: Optional[Path], *, stem: str
) -> list[Path]:
    """Download (size-capped, content-checked) and save every image of ``final``.

    Raises:
        HFSpaceError: the download failed.
        OutputError: the file could not be written.
    """
    paths = []
    several = len(final.urls) > 1
    for number, url in enumerate(final.urls, start=1):
        try:
            data = client.download(url)
        except InvalidArgumentError as exc:  # the Space's URL, not the user's input
            raise ResponseError(str(exc)) from exc
        target = _target(output, data, stem, number if several else None)
        try:
            paths.append(save_image_bytes(data, target))
        except (OSError, InvalidArgumentError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise OutputError(f"cannot write {str(target)!r}: {reason}") from exc
    return paths


def _emit_image(client: Client, final: ImageResponse, output: Optional[Path], stem: str) -> None:
    if output is None:
        for url in final.urls:
            _out(url)
        return
    for path in save_images(client, final, output, stem=stem):
        _out(str(path))


# --- commands -------------------------------------------------------------------------------


def _status_line(args: argparse.Namespace) -> StatusLine:
    # With logs on stderr, a rewritten line would be torn by log lines: print line by line.
    return StatusLine(sys.stderr, live=False if args.verbose else None)


def _cmd_generate(args: argparse.Namespace) -> int:
    request = _image_request(args, model=args.model, provider=args.provider)
    with _client(args) as client:
        final = generate_image(client, request, _status_line(args))
        _emit_image(client, final, args.output, stem=args.prompt)
    return EXIT_OK


def _cmd_chat(args: argparse.Namespace) -> int:
    status = _status_line(args)
    with _client(args) as client:
        status.update(f"Waiting for {args.model}")
        try:
            completion = client.chat.completions.create(
                messages=args.prompt, model=args.model, provider=args.provider, image=args.image
            )
        finally:
            status.clear()
    if not isinstance(completion, ChatCompletion):  # only with stream=True
        raise TypeError("expected a ChatCompletion")
    _out(completion.choices[0].message.content if completion.choices else "")
    return EXIT_OK


def _model_rows(name: str, provider: type[Provider]) -> list[tuple[str, str, str, str]]:
    names = dict.fromkeys([provider.default_model, *provider.get_models(), *provider.model_aliases])
    chat_models = {*provider.vision_models, provider.default_vision_model}
    rows = []
    for model in names:
        if not model:
            continue
        kind = "chat" if model in chat_models else "image"
        if model in provider.model_aliases:
            note = f"alias -> {provider.model_aliases[model]}"
        elif model == provider.default_model:
            note = "default"
        else:
            note = ""
        rows.append((name, model, kind, note))
    return rows


def models_table() -> list[str]:
    """The lines ``hfspace models`` prints: one row per provider and model name."""
    rows = [("PROVIDER", "MODEL", "KIND", "NOTE")]
    for name, provider in PROVIDERS.items():
        rows.extend(_model_rows(name, provider))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3]
        for row in rows
    ]
    lines = [line.rstrip() for line in lines]
    lines += [
        "",
        "Without --provider, HuggingSpace tries every provider serving the model, in order.",
        f"Defaults: generate --model {DEFAULT_IMAGE_MODEL}, chat --model {DEFAULT_CHAT_MODEL}.",
    ]
    return lines


def _cmd_models(args: argparse.Namespace) -> int:
    for line in models_table():
        _out(line)
    return EXIT_OK


def _gradio_available() -> bool:
    if os.environ.get(_LOOKALIKE_PYTHON_ENV):
        return True  # the look-alike runs under another interpreter; it will say if it fails
    try:
        return importlib.util.find_spec("gradio") is not None
    except (ImportError, ValueError):
        return False


def _cmd_demo(args: argparse.Namespace) -> int:
    if not _gradio_available():
        _err("error: the demo needs gradio: pip install 'hfspace_sdk[testing]'")
        return EXIT_FAILURE
    from .testing import serve_hub, serve_spaces, space_urls_for

    status = _status_line(args)
    request = _image_request(args, model="flux-dev", provider="BlackForestLabs_Flux1Dev")
    status.update("Starting a look-alike FLUX.1-dev Space on 127.0.0.1")
    status.end()
    with contextlib.ExitStack() as stack:
        try:
            urls = stack.enter_context(serve_spaces("flux-dev"))
        except RuntimeError as exc:
            _err(f"error: could not start the look-alike Space: {exc}")
            return EXIT_FAILURE
        hub = stack.enter_context(serve_hub())
        _err(f"look-alike Space at {urls['flux-dev']} (pid {urls.pid}), hub at {hub.url}")
        client = stack.enter_context(
            Client(
                space_urls=space_urls_for(urls),
                hub_url=hub.url,
                hf_token="hfspace-demo",  # the fake hub takes any token: never send yours
                timeout=args.timeout or DEMO_TIMEOUT,
            )
        )
        final = generate_image(client, request, status)
        paths = save_images(client, final, args.output, stem=DEMO_STEM)
    _err("look-alike Space stopped")
    for path in paths:
        _out(str(path.resolve()))
    return EXIT_OK


# --- entry point ----------------------------------------------------------------------------


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _exit_code(code: Any) -> int:
    if code is None:
        return EXIT_OK
    return code if isinstance(code, int) else EXIT_USAGE


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run ``hfspace`` with ``argv`` (default: the process's arguments); return the exit code.

    Never raises for expected failures: usage errors, SDK errors, write errors and Ctrl-C
    become a one-line message on stderr and an exit code.
    """
    try:
        args = _parse(argv)
    except SystemExit as exit_:
        return _exit_code(exit_.code)
    logging_change = _configure_logging(args.verbose)
    try:
        code: int = args.handler(args)
        return code
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INTERRUPTED
    except InvalidArgumentError as exc:
        return _report(exc, EXIT_USAGE)
    except (HFSpaceError, OutputError) as exc:
        return _report(exc, EXIT_FAILURE)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_FAILURE
    except OSError as exc:
        return _report(exc, EXIT_FAILURE)
    finally:
        _restore_logging(logging_change)
