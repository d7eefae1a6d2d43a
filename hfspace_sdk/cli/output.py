"""What the command shows: results on stdout; the live status line and messages on stderr."""

from __future__ import annotations

import os
import sys
from typing import Optional, TextIO

from ..errors import (
    HFSpaceError,
    MissingAuthError,
    QuotaExceededError,
)
from .constants import PROG


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


def emit(text: str) -> None:
    """Print a result line on stdout, whatever the terminal's encoding can show."""
    try:
        print(text, file=sys.stdout, flush=True)
    except UnicodeEncodeError:
        encoding = getattr(sys.stdout, "encoding", None) or "ascii"
        safe = text.encode(encoding, "backslashreplace").decode(encoding, "replace")
        print(safe, file=sys.stdout, flush=True)


def say(text: str) -> None:
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)


def _hint(error: HFSpaceError) -> Optional[str]:
    """A short piece of advice for errors a person can do something about."""
    if isinstance(error, QuotaExceededError):
        wait = f"retry in {error.retry_after} s, or " if error.retry_after else ""
        return f"{wait}set HF_TOKEN to an access token to raise your ZeroGPU quota"
    if isinstance(error, MissingAuthError):
        return "set HF_TOKEN to a valid Hugging Face access token"
    return None


def report_error(error: BaseException, code: int) -> int:
    say(f"error: {error}")
    if isinstance(error, HFSpaceError):
        hint = _hint(error)
        if hint:
            say(f"hint: {hint}")
    return code


# --- argument parsing -----------------------------------------------------------------------
