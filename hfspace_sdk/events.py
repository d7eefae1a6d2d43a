"""The events a generation yields, with g4f's observable behaviour (fields, ``str()``, dicts).

A generation yields, in order, progress (:class:`Reasoning`), optional previews
(:class:`ImagePreview`), a :class:`JsonConversation` for follow-up turns, and its result last:
an :class:`ImageResponse` or a text ``str``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Callable, Optional, Union
from urllib.parse import quote_plus, unquote

__all__ = [
    "Event",
    "ImagePreview",
    "ImageResponse",
    "JsonConversation",
    "Reasoning",
    "is_final_result",
]


class Reasoning:
    """A progress or thinking update, as g4f's ``Reasoning``.

    ``status`` keeps g4f's text (``"Sampling 3/28"``, ``"Finished"``); the extra keyword
    fields (``progress``, ``total``, ``rank``, ``eta``) carry the same facts as numbers.
    """

    __slots__ = ("eta", "is_thinking", "label", "progress", "rank", "status", "token", "total")

    def __init__(
        self,
        token: Optional[str] = None,
        label: Optional[str] = None,
        status: Optional[str] = None,
        is_thinking: Optional[str] = None,
        *,
        progress: Optional[int] = None,
        total: Optional[int] = None,
        rank: Optional[int] = None,
        eta: Optional[float] = None,
    ) -> None:
        self.token = token
        self.label = label
        self.status = status
        self.is_thinking = is_thinking
        self.progress = progress
        self.total = total
        self.rank = rank
        self.eta = eta

    def __str__(self) -> str:
        if self.is_thinking is not None:
            return self.is_thinking
        if self.token is not None:
            return self.token
        if self.status is not None:
            return f"{self.label}: {self.status}\n" if self.label else f"{self.status}\n"
        return ""

    def get_dict(self) -> dict[str, Any]:
        """g4f's dictionary form."""
        if self.label is not None:
            return {"label": self.label, "status": self.status}
        if self.is_thinking is None:
            if self.status is None:
                return {"token": self.token}
            return {"token": self.token, "status": self.status}
        return {"token": self.token, "status": self.status, "is_thinking": self.is_thinking}

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reasoning):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in ("token", "label", "status", "is_thinking", "progress", "total", "rank")
            if getattr(self, name) is not None
        )
        return f"Reasoning({fields})"


def _quote_url(url: str) -> str:
    """Quote a URL's path and query as g4f 0.5 does (a space becomes ``+``)."""
    if "%" in url:
        url = unquote(url)
    scheme, separator, rest = url.partition("://")
    if not separator:
        return quote_plus(url, "/?&=#")
    host, slash, path = rest.partition("/")
    return f"{scheme}://{host}{slash}{quote_plus(path, '/?&=#')}"


def format_images_markdown(urls: list[str], alt: str) -> str:
    """g4f 0.5's markdown for generated images."""
    alt = " ".join(alt.split())
    if len(urls) == 1:
        lines = [f"[![{alt}]({_quote_url(urls[0])})]({_quote_url(urls[0])})"]
    else:
        lines = [
            f"[![#{index} {alt}]({_quote_url(url)})]({_quote_url(url)})"
            for index, url in enumerate(urls, start=1)
        ]
    body = "\n".join(lines)
    return f"\n<!-- generated images start -->\n{body}\n<!-- generated images end -->\n\n"


class ImageResponse:
    """Generated images: ``urls`` (always a list of str) and the prompt as ``alt``."""

    def __init__(
        self,
        urls: Union[str, Iterable[str]],
        alt: str,
        options: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self.urls: list[str] = [urls] if isinstance(urls, str) else list(urls)
        self.alt = alt
        self.options: dict[str, Any] = dict(options or {})
        self._download: Optional[Callable[[str], bytes]] = None

    def download_with(self, download: Callable[[str], bytes]) -> None:
        """Fetch these images with ``download`` (``url`` → bytes) in :meth:`save` and Jupyter.

        The SDK sets it to the downloader of the client or provider that made the images, so
        their proxy and timeouts apply (even after it is closed); otherwise defaults apply.
        """
        self._download = download

    def _images(self) -> list[Any]:
        from .images import Image  # downloads live outside this pure module

        download = getattr(self, "_download", None)
        extra = {} if download is None else {"_downloader": download}
        return [Image(url=url, revised_prompt=self.alt, **extra) for url in self.urls]

    @property
    def images(self) -> list[str]:
        """Alias of ``urls`` (g4f 0.4 name)."""
        return self.urls

    def get(self, key: str, default: Any = None) -> Any:
        """An option's value."""
        return self.options.get(key, default)

    def get_list(self) -> list[str]:
        """The URLs as a list."""
        return list(self.urls)

    def to_string(self) -> str:
        """The images as g4f's markdown."""
        return format_images_markdown(self.urls, self.alt)

    def save(self, directory: Union[str, Path]) -> list[Path]:
        """Download every image (size-capped, content-checked) into ``directory``.

        File names come from the prompt, never from the server's path. Returns the paths.
        """
        from .images import ImagesResponse

        return ImagesResponse.now(model="", provider="", data=self._images()).save(directory)

    def _repr_html_(self) -> str:
        return "".join(image._repr_html_() for image in self._images())

    def __getstate__(self) -> dict[str, Any]:
        # the downloader holds connections: a pickled response downloads with defaults
        return {key: value for key, value in self.__dict__.items() if key != "_download"}

    def __str__(self) -> str:
        return self.to_string()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ImageResponse):
            return NotImplemented
        return (type(self), self.urls, self.alt, self.options) == (
            type(other),
            other.urls,
            other.alt,
            other.options,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable value object

    def __repr__(self) -> str:
        return f"{type(self).__name__}(urls={self.urls!r}, alt={self.alt!r})"


class ImagePreview(ImageResponse):
    """An intermediate image; never the result. ``str()`` is empty, as in g4f."""

    def __str__(self) -> str:
        return ""


_SECRET_FIELDS = frozenset({"zerogpu_token", "api_key", "hf_token", "token"})


class JsonConversation:
    """State for a follow-up turn: an attribute bag (``session_hash``, ``zerogpu_uuid``, ...).

    Pass it back as ``conversation=`` to continue a chat. Secret values (the ZeroGPU token)
    are kept but never shown by ``repr()``.
    """

    def __init__(self, **kwargs: Any) -> None:
        self.__dict__.update(kwargs)

    def get_dict(self) -> dict[str, Any]:
        """All fields as a dict (secrets included: it is meant for storage, not display)."""
        return {key: value for key, value in self.__dict__.items() if not key.startswith("__")}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JsonConversation:
        """Rebuild a conversation from :meth:`get_dict`'s output."""
        return cls(**dict(data))

    def __str__(self) -> str:
        return ""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JsonConversation):
            return NotImplemented
        return self.get_dict() == other.get_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{key}={'***' if key in _SECRET_FIELDS and value else repr(value)}"
            for key, value in self.get_dict().items()
        )
        return f"JsonConversation({fields})"


Event = Union[Reasoning, ImageResponse, JsonConversation, str]
"""Anything a generation yields."""


def is_final_result(event: Event) -> bool:
    """True for a result (an image or text answer), false for progress, previews and state."""
    if isinstance(event, ImagePreview):
        return False
    return isinstance(event, (ImageResponse, str))
