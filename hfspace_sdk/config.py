"""Frozen client settings: Space URLs, hub, credentials, proxy, timeouts and pool size.

The environment (``HF_TOKEN``, ``HF_ENDPOINT``) is read when settings are built, never at import.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Optional, Union
from urllib.parse import urlsplit

from .errors import InvalidArgumentError

__all__ = [
    "DEFAULT_HUB_URL",
    "SPACE_URLS_ENV",
    "Settings",
    "Timeout",
    "default_space_url",
    "parse_space_urls",
]

#: Environment variable with Space URL overrides: ``owner/name=URL`` pairs, comma-separated.
SPACE_URLS_ENV = "HFSPACE_SPACE_URLS"

DEFAULT_HUB_URL = "https://huggingface.co"


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


@dataclass(frozen=True)
class Timeout:
    """Time limits in seconds.

    Attributes:
        connect: to open a connection.
        read: between two bytes of an answer. Gradio sends a heartbeat every 15 s while a job
            waits, so this must stay well above 15.
        total: for a whole job, from submission to result (ZeroGPU Spaces may queue a job for
            minutes; lower it for interactive use).
    """

    connect: float = 10.0
    read: float = 60.0
    total: float = 900.0

    def __post_init__(self) -> None:
        for name in ("connect", "read", "total"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InvalidArgumentError(
                    f"timeout.{name} must be a number of seconds, not {value!r}"
                )
            if not (value > 0 and _finite(value)):
                raise InvalidArgumentError(f"timeout.{name} must be a positive number of seconds")

    @classmethod
    def coerce(cls, value: Union[Timeout, float, None]) -> Timeout:
        """A :class:`Timeout` from ``None`` (defaults), a number (the job total) or itself.

        A number caps every phase: ``timeout=20`` allows 20 s for the whole job.
        """
        if value is None:
            return cls()
        if isinstance(value, Timeout):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidArgumentError(
                f"timeout must be a number of seconds or a Timeout, not {value!r}"
            )
        if not (value > 0 and _finite(value)):
            raise InvalidArgumentError(
                f"timeout must be a positive number of seconds, not {value!r}"
            )
        defaults = cls()
        return cls(
            connect=min(defaults.connect, value), read=min(defaults.read, value), total=value
        )


def default_space_url(space_id: str) -> str:
    """The ``*.hf.space`` host the Hub serves a Space on (``owner/My.App`` → owner-my-app)."""
    subdomain = space_id.lower()
    for character in "/._":
        subdomain = subdomain.replace(character, "-")
    return f"https://{subdomain}.hf.space"


def parse_space_urls(text: str) -> dict[str, str]:
    """``"owner/a=http://x,owner/b=http://y"`` (the CLI's and HFSPACE_SPACE_URLS' form) as a dict.

    Raises:
        InvalidArgumentError: a pair is not ``SPACE=URL``.
    """
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        space_id, separator, url = item.partition("=")
        if not separator or not space_id.strip() or not url.strip():
            raise InvalidArgumentError(
                f"Expected SPACE=URL (like owner/name=http://127.0.0.1:7860), not {item!r}"
            )
        pairs[space_id.strip()] = url.strip()
    return pairs


def _check_http_url(name: str, url: Any) -> str:
    if not isinstance(url, str):
        raise InvalidArgumentError(f"{name} must be a URL string, not {type(url).__name__}")
    stripped = url.strip()
    if any(
        character.isspace() or ord(character) < 32 or ord(character) == 127
        for character in stripped
    ):
        raise InvalidArgumentError(f"{name} must not contain spaces or control characters")
    try:
        parts = urlsplit(stripped)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise InvalidArgumentError(f"{name} is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidArgumentError(f"{name} must be an http(s) URL with a host, not {url!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidArgumentError(
            f"{name} must not contain a query, fragment or credentials: {url!r}"
        )
    return stripped.rstrip("/")


# printable ASCII; inner spaces allowed (g4f's anonymous "[object Object]"), no line breaks
_HEADER_VALUE = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")
_COOKIE_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 6265 token
_COOKIE_VALUE = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*")  # RFC 6265 cookie-octets


def check_credential(name: str, value: Any) -> str:
    """A token to send in a header: printable ASCII without spaces. The value is never echoed.

    Raises:
        InvalidArgumentError: naming the option, not showing the value.
    """
    if not isinstance(value, str) or not _HEADER_VALUE.fullmatch(value):
        raise InvalidArgumentError(
            f"{name} must be printable ASCII without line breaks (the value is not shown)"
        )
    return value


def check_cookies(cookies: Any) -> dict[str, str]:
    if not isinstance(cookies, Mapping):
        raise InvalidArgumentError("cookies must be a mapping of cookie names to string values")
    for name, value in cookies.items():
        if not isinstance(name, str) or not _COOKIE_NAME.fullmatch(name):
            raise InvalidArgumentError("cookies has a name that is not a valid cookie name")
        if not isinstance(value, str) or not _COOKIE_VALUE.fullmatch(value):
            raise InvalidArgumentError(
                f"cookies[{name!r}] is not a valid cookie value (the value is not shown)"
            )
    return dict(cookies)


def _check_space_id(space_id: Any) -> str:
    if not isinstance(space_id, str) or space_id.count("/") != 1 or not all(space_id.split("/")):
        raise InvalidArgumentError(
            f"space_urls keys must be Space ids like 'owner/name', not {space_id!r}"
        )
    return space_id.lower()


@dataclass(frozen=True, repr=False)
class Settings:
    """Everything a provider or client is configured with. Build with :meth:`from_options`."""

    space_urls: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    hub_url: str = DEFAULT_HUB_URL
    hf_token: Optional[str] = None
    cookies: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    proxy: Optional[str] = None
    timeout: Timeout = field(default_factory=Timeout)
    max_workers: int = 8

    @classmethod
    def from_options(
        cls,
        *,
        space_urls: Optional[Mapping[str, str]] = None,
        hub_url: Optional[str] = None,
        hf_token: Optional[str] = None,
        cookies: Optional[Mapping[str, str]] = None,
        proxy: Optional[str] = None,
        timeout: Union[Timeout, float, None] = None,
        max_workers: Optional[int] = None,
        environ: Optional[Mapping[str, str]] = None,
    ) -> Settings:
        """Validate the keyword options; fill the rest from the environment and defaults.

        Reads ``HF_TOKEN`` (when ``hf_token`` is not given), ``HF_ENDPOINT`` (when ``hub_url``
        is not given) and ``HFSPACE_SPACE_URLS`` (when ``space_urls`` is not given).

        Raises:
            InvalidArgumentError: an option has the wrong type or form.
        """
        env = os.environ if environ is None else environ
        if space_urls is None and env.get(SPACE_URLS_ENV):
            space_urls = parse_space_urls(env[SPACE_URLS_ENV])
        if space_urls is not None and not isinstance(space_urls, Mapping):
            raise InvalidArgumentError("space_urls must be a mapping of Space id to base URL")
        urls = {
            _check_space_id(space): _check_http_url(f"space_urls[{space!r}]", url)
            for space, url in (space_urls or {}).items()
        }
        checked_cookies = check_cookies(cookies) if cookies is not None else {}
        token = hf_token if hf_token is not None else env.get("HF_TOKEN") or None
        if token is not None:
            token = check_credential("hf_token", token)
        if max_workers is not None and (
            isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1
        ):
            raise InvalidArgumentError(
                f"max_workers must be a positive whole number, not {max_workers!r}"
            )
        return cls(
            space_urls=MappingProxyType(urls),
            hub_url=_check_http_url(
                "hub_url", hub_url or env.get("HF_ENDPOINT") or DEFAULT_HUB_URL
            ),
            hf_token=token,
            cookies=MappingProxyType(checked_cookies),
            proxy=_check_http_url("proxy", proxy) if proxy is not None else None,
            timeout=Timeout.coerce(timeout),
            max_workers=max_workers or 8,
        )

    def space_url(self, space_id: str) -> str:
        """The base URL of a Space: the ``space_urls`` override, else its ``*.hf.space`` host."""
        return self.space_urls.get(space_id.lower()) or default_space_url(space_id)

    def __repr__(self) -> str:
        return (
            f"Settings(space_urls={dict(self.space_urls)!r}, hub_url={self.hub_url!r}, "
            f"hf_token={'***' if self.hf_token else None}, cookies={sorted(self.cookies)!r}, "
            f"proxy={'***' if self.proxy else None}, timeout={self.timeout!r}, "
            f"max_workers={self.max_workers})"
        )
