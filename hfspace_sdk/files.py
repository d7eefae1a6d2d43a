"""Files a Space returned that are not images (audio, video, JSON, 3D models...): :class:`File`.

A file downloads once, on first use, capped at :data:`~hfspace_sdk.images.MAX_DOWNLOAD_BYTES`
and without credentials. Saved into a directory it keeps its own name, reduced to a plain file
name: a name the Space chose can never place it outside that directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Union

__all__ = ["File", "safe_file_name"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
_MAX_NAME = 120


def safe_file_name(name: str, *, fallback: str = "file") -> str:
    """A plain file name from a name a server chose: its last part, in ``[A-Za-z0-9._ -]``,
    never hidden, empty, ``.`` or ``..``."""
    tail = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", tail).strip(" .")
    if len(cleaned) > _MAX_NAME:  # keep the extension of a long name
        stem, dot, suffix = cleaned.rpartition(".")
        cleaned = (
            f"{stem[: _MAX_NAME - len(suffix) - 1]}.{suffix}"
            if dot and len(suffix) < 16
            else cleaned[:_MAX_NAME]
        )
    return cleaned or fallback


def _default_downloader(url: str) -> bytes:
    """For files made outside a client: default settings, read from the environment now."""
    from .config import Settings
    from .images import ImageDownloader

    return ImageDownloader(Settings.from_options()).file(url)


@dataclass(frozen=True)
class File:
    """A file a Space returned (any type but the images, which are :class:`~hfspace_sdk.Image`).

    Attributes:
        url: where the Space serves it.
        name: its own name (from the Space), e.g. ``"summary.json"``.
        mime_type: its type as the Space gave it, else guessed from the name (None if unknown).

    Pass it to a file parameter of a later call to send it again (the same Space reads it in
    place; another one gets it uploaded).
    """

    url: str
    name: str = "file"
    mime_type: Optional[str] = None
    _downloader: Callable[[str], bytes] = field(
        default=_default_downloader, repr=False, compare=False
    )
    _cache: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    def bytes(self) -> bytes:
        """The file's content, downloaded on first use and kept.

        Raises:
            ProtocolError: the file is larger than the download cap.
            ResponseStatusError, SpaceConnectionError, SpaceTimeoutError: the download failed.
        """
        if "data" not in self._cache:
            self._cache["data"] = self._downloader(self.url)
        return self._cache["data"]

    def save(self, path: Union[str, Path]) -> Path:
        """Write the file to ``path``, or into the directory ``path`` under its own name.

        Returns the path written.

        Raises:
            InvalidArgumentError: the directory to write into does not exist.
            OSError: the file cannot be written.
        """
        from .errors import InvalidArgumentError

        target = Path(path)
        if target.is_dir():
            target = target / safe_file_name(self.name)
        if not target.parent.is_dir():
            raise InvalidArgumentError(f"The directory {str(target.parent)!r} does not exist")
        target.write_bytes(self.bytes())
        return target

    def __getstate__(self) -> dict[str, object]:
        # the downloader holds connections: a pickled file downloads with default settings
        return {"url": self.url, "name": self.name, "mime_type": self.mime_type}

    def __setstate__(self, state: dict[str, object]) -> None:
        for key, value in {**state, "_downloader": _default_downloader, "_cache": {}}.items():
            object.__setattr__(self, key, value)
