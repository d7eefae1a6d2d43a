"""Frozen client settings: Space URLs, hub, credentials, proxy, timeouts and pool size.

The environment (``HF_TOKEN``, ``HF_ENDPOINT``) is read when settings are built, never at import.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Callable, Optional, Union
from urllib.parse import urlsplit

from .errors import InvalidArgumentError
from .timeouts import Frozen, Timeout

__all__ = [
    "DEFAULT_HUB_URL",
    "OPTIONS",
    "SPACE_URLS_ENV",
    "Settings",
    "SpaceURLs",
    "Timeout",
    "configure",
    "default_space_url",
    "merge_space_urls",
    "parse_space_urls",
    "space_url_pairs",
]

#: Environment variable with Space URL overrides: ``owner/name=URL`` pairs, comma-separated.
SPACE_URLS_ENV = "HFSPACE_SPACE_URLS"

DEFAULT_HUB_URL = "https://huggingface.co"


def default_space_url(space_id: str) -> str:
    """The ``*.hf.space`` host the Hub serves a Space on (``owner/My.App`` → owner-my-app)."""
    subdomain = space_id.lower()
    for character in "/._":
        subdomain = subdomain.replace(character, "-")
    return f"https://{subdomain}.hf.space"


#: What ``space_urls`` maps a Space id to: one base URL, or the URLs of its replicas.
SpaceURLs = Union[str, tuple[str, ...]]


def space_url_pairs(text: str) -> list[tuple[str, str]]:
    """The ``SPACE=URL`` pairs of ``"owner/a=http://x,owner/b=http://y"``, in order.

    Raises:
        InvalidArgumentError: a pair is not ``SPACE=URL``.
    """
    pairs: list[tuple[str, str]] = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        space_id, separator, url = item.partition("=")
        if not separator or not space_id.strip() or not url.strip():
            raise InvalidArgumentError(
                f"Expected SPACE=URL (like owner/name=http://127.0.0.1:7860), not {item!r}"
            )
        pairs.append((space_id.strip(), url.strip()))
    return pairs


def merge_space_urls(pairs: Iterable[tuple[str, str]]) -> dict[str, SpaceURLs]:
    """``space_urls`` from ``(Space id, URL)`` pairs: a Space id given again adds a replica.

    Ids compare case-insensitively; the first spelling is kept.
    """
    grouped: dict[str, tuple[str, list[str]]] = {}
    for space_id, url in pairs:
        grouped.setdefault(space_id.lower(), (space_id, []))[1].append(url)
    return {name: urls[0] if len(urls) == 1 else tuple(urls) for name, urls in grouped.values()}


def parse_space_urls(text: str) -> dict[str, SpaceURLs]:
    """``"owner/a=http://x,owner/b=http://y"`` (the CLI's and HFSPACE_SPACE_URLS' form) as a dict;
    repeating a Space id (``owner/a=http://x,owner/a=http://z``) gives it replicas.

    Raises:
        InvalidArgumentError: a pair is not ``SPACE=URL``.
    """
    return merge_space_urls(space_url_pairs(text))


def check_http_url(name: str, url: Any) -> str:
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


def _check_replicas(space_id: str, urls: Any) -> SpaceURLs:
    """One base URL, or a list of distinct ones (the Space's replicas)."""
    name = f"space_urls[{space_id!r}]"
    if isinstance(urls, str):
        return check_http_url(name, urls)
    if not isinstance(urls, (list, tuple)) or not urls:
        raise InvalidArgumentError(f"{name} must be a base URL or a non-empty list of them")
    checked = tuple(check_http_url(name, url) for url in urls)
    repeated = sorted({url for url in checked if checked.count(url) > 1})
    if repeated:
        raise InvalidArgumentError(f"{name} lists {', '.join(repeated)} more than once")
    return checked[0] if len(checked) == 1 else checked


def _check_space_urls(space_urls: Any) -> Mapping[str, SpaceURLs]:
    if not isinstance(space_urls, Mapping):
        raise InvalidArgumentError(
            "space_urls must be a mapping of Space id to a base URL (or a list of them)"
        )
    return MappingProxyType(
        {_check_space_id(space): _check_replicas(space, urls) for space, urls in space_urls.items()}
    )


def _check_max_workers(max_workers: Any) -> int:
    if isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1:
        raise InvalidArgumentError(
            f"max_workers must be a positive whole number, not {max_workers!r}"
        )
    return max_workers


def _check_sleep(sleep: Any) -> Optional[Callable[[float], None]]:
    if sleep is not None and not callable(sleep):
        raise InvalidArgumentError(f"retry_sleep must be a function of seconds, not {sleep!r}")
    return sleep  # type: ignore[no-any-return]


_NO_MAPPING: Mapping[str, Any] = MappingProxyType({})
DEFAULT_TIMEOUT = Timeout()


class Settings(Frozen):
    """Everything a client or provider is configured with: the one list of options.

    Build it directly (every value explicit, the environment not read) or with
    :meth:`from_options` (unset options from the environment); either way each value is checked
    here, once. ``Client(settings=...)`` and every provider accept one; keywords given beside it
    override its fields.

    Attributes:
        space_urls: Space id (``"owner/name"``, any case) → base URL, for duplicated or local
            Spaces. Every request meant for that Space goes there. A list of base URLs makes
            them replicas of the Space: each job goes to one of them (see
            :mod:`hfspace_sdk.replicas`).
        hub_url: the Hugging Face hub.
        hf_token: an HF access token, used for ZeroGPU tokens (sent to the hub only).
        cookies: hub cookies, used only when given.
        proxy: an http(s) proxy URL for every request.
        timeout: a :class:`Timeout`, or seconds for a whole job.
        max_workers: threads in the job pool.
        retry_sleep: how to wait between retries of idempotent requests (ZeroGPU tokens,
            ``/config``), called with the seconds to wait. ``None`` waits on the job's own
            clock, so a cancel ends the wait at once. Tests pass a recorder so they never wait.

    Raises:
        InvalidArgumentError: an option has the wrong type or form (credentials not echoed).
    """

    # The option list: these keywords, in this order (a test pins the signatures to them).
    __slots__ = (  # noqa: RUF023 - the order users read
        "space_urls",
        "hub_url",
        "hf_token",
        "cookies",
        "proxy",
        "timeout",
        "max_workers",
        "retry_sleep",
    )
    # retry_sleep is a function: it does not make settings differ
    _compared = tuple(name for name in __slots__ if name != "retry_sleep")
    space_urls: Mapping[str, SpaceURLs]
    hub_url: str
    hf_token: Optional[str]
    cookies: Mapping[str, str]
    proxy: Optional[str]
    timeout: Timeout
    max_workers: int
    retry_sleep: Optional[Callable[[float], None]]

    def __init__(
        self,
        *,
        space_urls: Mapping[str, SpaceURLs] = _NO_MAPPING,
        hub_url: str = DEFAULT_HUB_URL,
        hf_token: Optional[str] = None,
        cookies: Mapping[str, str] = _NO_MAPPING,
        proxy: Optional[str] = None,
        timeout: Union[Timeout, float] = DEFAULT_TIMEOUT,
        max_workers: int = 8,
        retry_sleep: Optional[Callable[[float], None]] = None,
    ) -> None:
        self._set_fields(
            {
                "space_urls": _check_space_urls(space_urls),
                "hub_url": check_http_url("hub_url", hub_url),
                "hf_token": None if hf_token is None else check_credential("hf_token", hf_token),
                "cookies": MappingProxyType(check_cookies(cookies)),
                "proxy": None if proxy is None else check_http_url("proxy", proxy),
                "timeout": Timeout.coerce(timeout),
                "max_workers": _check_max_workers(max_workers),
                "retry_sleep": _check_sleep(retry_sleep),
            }
        )

    @classmethod
    def from_options(
        cls, *, environ: Optional[Mapping[str, str]] = None, **options: Any
    ) -> Settings:
        """Settings from keyword options; options left out (or ``None``) come from the
        environment, then the defaults.

        Reads ``HF_TOKEN`` (when ``hf_token`` is not given), ``HF_ENDPOINT`` (when ``hub_url``
        is not given) and ``HFSPACE_SPACE_URLS`` (when ``space_urls`` is not given).

        Raises:
            InvalidArgumentError: an unknown option, or a value of the wrong type or form.
        """
        given = _given(options)
        env = os.environ if environ is None else environ
        for option, (variable, parse) in _ENVIRONMENT.items():
            if option not in given and env.get(variable):
                given[option] = parse(env[variable])
        return cls(**given)

    def replace(self, **options: Any) -> Settings:
        """A copy with the options given (not ``None``) changed, checked like the rest."""
        given = _given(options)
        return Settings(**{**self._fields(), **given}) if given else self

    def space_url(self, space_id: str) -> str:
        """The base URL of a Space: the ``space_urls`` override (its first replica), else its
        ``*.hf.space`` host."""
        return self.replica_urls(space_id)[0]

    def replica_urls(self, space_id: str) -> tuple[str, ...]:
        """The base URLs of a Space's replicas: the ``space_urls`` override (one or more),
        else its ``*.hf.space`` host."""
        urls = self.space_urls.get(space_id.lower())
        if urls is None:
            return (default_space_url(space_id),)
        return (urls,) if isinstance(urls, str) else urls

    def __repr__(self) -> str:
        return (
            f"Settings(space_urls={dict(self.space_urls)!r}, hub_url={self.hub_url!r}, "
            f"hf_token={'***' if self.hf_token else None}, cookies={sorted(self.cookies)!r}, "
            f"proxy={'***' if self.proxy else None}, timeout={self.timeout!r}, "
            f"max_workers={self.max_workers})"
        )


#: The option names: the fields of :class:`Settings`, the one place they are defined.
OPTIONS = Settings.__slots__
#: Options an environment variable supplies when not given, and how its text is read.
_ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "space_urls": (SPACE_URLS_ENV, parse_space_urls),
    "hf_token": ("HF_TOKEN", str),
    "hub_url": ("HF_ENDPOINT", str),
}


def _given(options: Mapping[str, Any]) -> dict[str, Any]:
    """The options that were given (``None`` means "not given"), unknown names refused."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise InvalidArgumentError(
            f"Unknown option {', '.join(unknown)}; the options are {', '.join(OPTIONS)}"
        )
    return {name: value for name, value in options.items() if value is not None}


def configure(settings: Optional[Settings], **options: Any) -> Settings:
    """The settings of a new client or provider: ``settings`` with ``options`` over it, or,
    without ``settings``, the options over the environment and defaults.

    Raises:
        InvalidArgumentError: ``settings`` is not a :class:`Settings`, or a bad option.
    """
    if settings is None:
        return Settings.from_options(**options)
    if not isinstance(settings, Settings):
        raise InvalidArgumentError(f"settings must be a Settings, not {type(settings).__name__}")
    return settings.replace(**options)
