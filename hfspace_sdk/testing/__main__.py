"""Command line: ``python -m hfspace_sdk.testing serve NAME... | hub``.

``serve NAME [NAME...] [--fail MODE] [--compute-seconds S] [--concurrency-limit N]`` launches the
look-alike Spaces, prints one ``READY {"name": "http://127.0.0.1:PORT", ...}`` line and serves
until SIGINT/SIGTERM. ``hub [--port N]`` runs the fake Hugging Face hub in the foreground (it
prints ``READY {"hub": "http://127.0.0.1:PORT"}``). Bad arguments exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any, Optional

from .catalog import LOOKALIKE_NAMES
from .failures import FAILURE_MODES


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be >= 0: {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1: {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m hfspace_sdk.testing``."""
    parser = argparse.ArgumentParser(
        prog="python -m hfspace_sdk.testing",
        description="Local look-alikes of Hugging Face Spaces, and a fake Hugging Face hub.",
    )
    commands = parser.add_subparsers(dest="command", metavar="{serve,hub}")
    commands.required = True
    serve = commands.add_parser(
        "serve", help="serve look-alike Spaces until SIGINT/SIGTERM (prints a READY line)"
    )
    serve.add_argument("names", nargs="+", choices=list(LOOKALIKE_NAMES), metavar="NAME",
                       help=f"look-alike to serve: {', '.join(LOOKALIKE_NAMES)}")
    serve.add_argument("--fail", choices=list(FAILURE_MODES), default=None,
                       help="make every call fail this way")
    serve.add_argument("--compute-seconds", type=_non_negative_float, default=0.0,
                       metavar="S", help="simulated compute time per call (default 0)")
    serve.add_argument("--concurrency-limit", type=_positive_int, default=None, metavar="N",
                       help="gradio default_concurrency_limit (default: gradio's)")
    serve.add_argument("--watch-stdin", action="store_true", help=argparse.SUPPRESS)
    hub = commands.add_parser("hub", help="serve the fake Hugging Face hub in the foreground")
    hub.add_argument("--port", type=_port, default=0, help="port (default: a free one)")
    return parser


def _run_hub(port: int) -> int:
    from .hub import serve_hub

    stop = threading.Event()

    def _on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    with serve_hub(port=port) as hub:
        print("READY " + json.dumps({"hub": hub.url}), flush=True)
        while not stop.is_set():
            stop.wait()
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "hub":
        return _run_hub(args.port)
    if len(set(args.names)) != len(args.names):
        parser.error("each NAME may be given once")
    from .server import serve

    status = serve(
        args.names,
        fail=args.fail,
        compute_seconds=args.compute_seconds,
        concurrency_limit=args.concurrency_limit,
        watch_stdin=args.watch_stdin,
    )
    # The apps are closed; skip the interpreter's slow teardown of gradio's leftovers (~1 s).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    sys.exit(main())
