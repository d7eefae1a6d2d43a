"""Failures on demand for the look-alike Spaces.

A request fails when its prompt (or question) contains a trigger token such as ``[[error]]``; a
whole server fails every call when it was started with ``fail="<mode>"``. The messages copy what
real Spaces (and the ZeroGPU ``spaces`` package) send.

This module imports gradio lazily, inside :func:`gradio_error`, so the parent process can use the
constants without importing gradio.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any, NoReturn, Optional

__all__ = [
    "DEMO_ERROR",
    "FAILURE_MESSAGES",
    "FAILURE_MODES",
    "FAILURE_TITLES",
    "HIDDEN_FAILURE_TEXT",
    "LookalikeFailure",
    "check_failure",
    "failure_mode_for",
    "gradio_error",
    "raise_failure",
    "trigger_token",
]

#: Failure modes, in the order they are looked for in a prompt.
FAILURE_MODES: tuple[str, ...] = ("error", "hidden", "quota", "quota-free", "quota-left")

#: Visible error text per mode (``hidden`` raises a plain exception that Gradio hides).
FAILURE_MESSAGES: Mapping[str, str] = {
    "error": "The look-alike Space failed on purpose",
    "quota": (
        "You have exceeded your GPU quota (60s requested vs. 56s left). "
        '<a href="https://huggingface.co/join">Sign up</a>'
    ),
    "quota-free": (
        "You have exceeded your free ZeroGPU quota (60s requested vs. 12s left). "
        "Try again in 0:05:43."
    ),
    "quota-left": (
        "You have exceeded your GPU quota (46s left vs. 60s requested). Please retry in 0:09:48."
    ),
}

#: Error titles, sent only by Gradio versions whose ``gr.Error`` accepts ``title=`` (5.x+).
FAILURE_TITLES: Mapping[str, str] = {"quota-free": "ZeroGPU quota exceeded"}

#: The message of the ``demo`` Space's ``fail`` endpoint, which always raises it.
DEMO_ERROR = "The demo Space's fail endpoint always fails"

#: Text of the plain exception raised for ``hidden`` (never shown to clients).
HIDDEN_FAILURE_TEXT = "look-alike hidden failure"


class LookalikeFailure(RuntimeError):
    """The plain exception raised for the ``hidden`` mode; Gradio reports ``"error": null``."""


def trigger_token(mode: str) -> str:
    """The token that triggers ``mode`` when it appears in a prompt, e.g. ``[[quota]]``."""
    if mode not in FAILURE_MODES:
        raise ValueError(f"unknown failure mode {mode!r}; expected one of {FAILURE_MODES}")
    return f"[[{mode}]]"


def failure_mode_for(text: Optional[str], server_mode: Optional[str] = None) -> Optional[str]:
    """The failure mode that applies to a request, or ``None`` when it should succeed.

    ``server_mode`` (the server-wide ``fail`` option) wins over tokens in ``text``.
    """
    if server_mode:
        if server_mode not in FAILURE_MODES:
            raise ValueError(
                f"unknown failure mode {server_mode!r}; expected one of {FAILURE_MODES}"
            )
        return server_mode
    if not text or "[[" not in text:
        return None
    for mode in FAILURE_MODES:
        if trigger_token(mode) in text:
            return mode
    return None


def raise_failure(mode: str) -> NoReturn:
    """Raise the exception for ``mode`` the way the real Space would (needs gradio)."""
    if mode == "hidden":
        raise LookalikeFailure(HIDDEN_FAILURE_TEXT)
    if mode not in FAILURE_MESSAGES:
        raise ValueError(f"unknown failure mode {mode!r}; expected one of {FAILURE_MODES}")
    raise gradio_error(FAILURE_MESSAGES[mode], FAILURE_TITLES.get(mode))


def gradio_error(message: str, title: Optional[str] = None) -> Exception:
    """A ``gr.Error`` with ``message`` (and ``title`` where gradio supports titles, 5.x+) that
    gradio does not print to the server's log (needs gradio)."""
    import gradio as gr

    kwargs: dict[str, Any] = {}
    params = inspect.signature(gr.Error.__init__).parameters
    if "title" in params and title is not None:
        kwargs["title"] = title
    if "print_exception" in params:
        kwargs["print_exception"] = False
    error: Exception = gr.Error(message, **kwargs)
    return error


def check_failure(text: Optional[str], server_mode: Optional[str] = None) -> None:
    """Raise if the request must fail (see :func:`failure_mode_for`); else return."""
    mode = failure_mode_for(text, server_mode)
    if mode is not None:
        raise_failure(mode)
