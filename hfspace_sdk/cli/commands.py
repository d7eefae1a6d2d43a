"""The commands (generate, chat, models, demo; api, call: .space_commands; quota, edit: their
modules) and ``main``."""

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
from typing import Any, Callable, Optional

from ..client import Client
from ..completions import ChatCompletion
from ..config import SPACE_URLS_ENV, SpaceURLs, parse_space_urls
from ..errors import HFSpaceError, InvalidArgumentError, ResponseError
from ..events import Event, ImagePreview, ImageResponse, Reasoning
from ..images import file_name_for, save_image_bytes
from ..providers import Provider
from ..providers.registry import PROVIDERS
from .arguments import parse_arguments
from .constants import (
    _LOOKALIKE_PYTHON_ENV,
    DEFAULT_CHAT_MODEL,
    DEFAULT_IMAGE_MODEL,
    DEMO_STEM,
    DEMO_TIMEOUT,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
)
from .edit_command import edit_command
from .output import OutputError, StatusLine, emit, report_error, say
from .quota_command import quota_command
from .space_commands import api_command, call_command


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


def _space_urls(args: argparse.Namespace) -> Optional[dict[str, SpaceURLs]]:
    """``--space-url`` pairs over ``HFSPACE_SPACE_URLS``, per Space id; None: the SDK reads it."""
    given: dict[str, SpaceURLs] = args.space_urls
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
            emit(url)
        return
    for path in save_images(client, final, output, stem=stem):
        emit(str(path))


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
    emit(completion.choices[0].message.content if completion.choices else "")
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
        emit(line)
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
        say("error: the demo needs gradio: pip install 'hfspace_sdk[testing]'")
        return EXIT_FAILURE
    from ..testing import serve_hub, serve_spaces, space_urls_for

    status = _status_line(args)
    request = _image_request(args, model="flux-dev", provider="BlackForestLabs_Flux1Dev")
    status.update("Starting a look-alike FLUX.1-dev Space on 127.0.0.1")
    status.end()
    with contextlib.ExitStack() as stack:
        try:
            urls = stack.enter_context(serve_spaces("flux-dev"))
        except RuntimeError as exc:
            say(f"error: could not start the look-alike Space: {exc}")
            return EXIT_FAILURE
        hub = stack.enter_context(serve_hub())
        say(f"look-alike Space at {urls['flux-dev']} (pid {urls.pid}), hub at {hub.url}")
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
    say("look-alike Space stopped")
    for path in paths:
        emit(str(path.resolve()))
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


def _cmd_api(args: argparse.Namespace) -> int:
    with _client(args) as client:
        return api_command(args, client)


def _cmd_call(args: argparse.Namespace) -> int:
    with _client(args) as client:
        return call_command(args, client, _status_line(args))


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "generate": _cmd_generate,
    "chat": _cmd_chat,
    "models": _cmd_models,
    "demo": _cmd_demo,
    "api": _cmd_api,
    "call": _cmd_call,
    "quota": lambda args: quota_command(args, _client(args)),
    "edit": lambda args: edit_command(args, _client(args), _status_line(args)),
}


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run ``hfspace`` with ``argv`` (default: the process's arguments); return the exit code.

    Never raises for expected failures: usage errors, SDK errors, write errors and Ctrl-C
    become a one-line message on stderr and an exit code.
    """
    try:
        args = parse_arguments(argv)
    except SystemExit as exit_:
        return _exit_code(exit_.code)
    logging_change = _configure_logging(args.verbose)
    try:
        code: int = _COMMANDS[args.command_name](args)
        return code
    except KeyboardInterrupt:
        say("interrupted")
        return EXIT_INTERRUPTED
    except InvalidArgumentError as exc:
        return report_error(exc, EXIT_USAGE)
    except (HFSpaceError, OutputError) as exc:
        return report_error(exc, EXIT_FAILURE)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_FAILURE
    except OSError as exc:
        return report_error(exc, EXIT_FAILURE)
    finally:
        _restore_logging(logging_change)
