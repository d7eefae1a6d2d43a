"""The text of a Space's errors (pure): made readable, and ZeroGPU quota messages read."""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

__all__ = ["QuotaInfo", "clean_message", "parse_quota_message"]

# Patterns, not compiled patterns: ``re`` compiles each on first use and caches it, so
# importing the SDK does not pay for parsers of messages it may never see.
_TAG = r"<[^>]+>"
_QUOTA_REQUESTED_FIRST = r"\((\d+)s requested vs\.? (\d+)s left\)"
_QUOTA_LEFT_FIRST = r"\((\d+)s left vs\.? (\d+)s requested\)"
_RETRY_IN = r"(?i)(?:retry|try again) in (\d+):(\d{1,2}):(\d{1,2})"
_QUOTA_MARKERS = ("exceeded your gpu quota", "exceeded your free zerogpu quota")


class QuotaInfo(NamedTuple):
    """What a ZeroGPU quota message says, in seconds."""

    requested: Optional[int]
    left: Optional[int]
    retry_after: Optional[int]


def clean_message(text: str) -> str:
    """Make a Space's error text readable: cut the Hub's sign-up links, drop HTML, unquote.

    Gradio 4.x wraps messages in Python repr quotes; the Hub appends ``<a ...>`` links.
    """
    import html  # only error paths need it (its entity table costs 1.4 ms to import)

    text = text.split(" <a ")[0]
    text = html.unescape(re.sub(_TAG, "", text)).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return " ".join(text.split())


def parse_quota_message(message: str) -> Optional[QuotaInfo]:
    """Read a ZeroGPU quota message; ``None`` when the text is not one.

    Understands both wordings: ``(60s requested vs. 56s left)`` and
    ``(46s left vs. 60s requested) ... retry in 0:09:48``.
    """
    text = clean_message(message)
    if not any(marker in text.lower() for marker in _QUOTA_MARKERS):
        return None
    requested = left = retry_after = None
    if match := re.search(_QUOTA_REQUESTED_FIRST, text):
        requested, left = int(match.group(1)), int(match.group(2))
    elif match := re.search(_QUOTA_LEFT_FIRST, text):
        left, requested = int(match.group(1)), int(match.group(2))
    if match := re.search(_RETRY_IN, text):
        hours, minutes, seconds = (int(part) for part in match.groups())
        retry_after = hours * 3600 + minutes * 60 + seconds
    return QuotaInfo(requested=requested, left=left, retry_after=retry_after)
