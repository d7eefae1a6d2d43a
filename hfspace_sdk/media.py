"""Files given as input (bytes, files, paths, data URIs): loaded and checked before upload.

Images (:func:`load_media`) must be PNG, JPEG, GIF or WebP; other files (:func:`load_file`) may
be anything. Both are capped at :data:`MAX_UPLOAD_BYTES`.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from .errors import InvalidArgumentError

__all__ = [
    "MAX_UPLOAD_BYTES",
    "MediaFile",
    "load_file",
    "load_media",
    "media_from_messages",
    "media_items",
    "sniff_image_type",
]

#: The largest image (or file) accepted for upload.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


@dataclass(frozen=True, repr=False)
class MediaFile:
    """A file (often an image) ready to upload: its bytes, name and MIME type."""

    data: bytes
    name: str
    mime_type: str

    def __repr__(self) -> str:
        return f"MediaFile(name={self.name!r}, mime_type={self.mime_type!r}, size={len(self.data)})"


def sniff_image_type(data: bytes) -> Optional[str]:
    """The MIME type of PNG, JPEG, GIF or WebP bytes, from their magic numbers."""
    for signature, mime_type in _SIGNATURES:
        if data.startswith(signature):
            return mime_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _bytes_of(item: Any, what: str = "image") -> tuple[bytes, Optional[str]]:
    if isinstance(item, (bytes, bytearray, memoryview)):
        return bytes(item), None
    if isinstance(item, str) and item.startswith("data:"):
        header, _, payload = item.partition(",")
        if ";base64" not in header:
            raise InvalidArgumentError(f"Only base64 data: URIs are accepted as {what}s")
        try:
            return base64.b64decode(payload, validate=True), None
        except (binascii.Error, ValueError) as exc:
            raise InvalidArgumentError(f"The {what} data: URI is not valid base64") from exc
    if isinstance(item, str) and item.startswith(("http://", "https://")):
        raise InvalidArgumentError(
            f"{what.capitalize()} URLs are not downloaded for upload: pass the bytes, a file "
            "path or a data: URI"
        )
    if isinstance(item, (str, os.PathLike)):
        return _read_file(Path(item), what)
    if hasattr(item, "read"):
        data = item.read(MAX_UPLOAD_BYTES + 1)
        if not isinstance(data, bytes):
            raise InvalidArgumentError(
                f"{what.capitalize()} file objects must be opened in binary mode"
            )
        name = getattr(item, "name", None)
        return data, os.path.basename(name) if isinstance(name, str) else None
    if hasattr(item, "save"):  # a PIL image, encoded without importing Pillow ourselves
        import io

        buffer = io.BytesIO()
        item.save(buffer, format="PNG")
        return buffer.getvalue(), None
    raise InvalidArgumentError(
        f"Cannot use {type(item).__name__} as {'an' if what[0] in 'aeiou' else 'a'} {what}: "
        "pass bytes, a path, a binary file, a data: URI or a PIL image"
    )


def _read_file(path: Path, what: str) -> tuple[bytes, str]:
    shown = str(path)[:200]
    kind = "image file" if what == "image" else "file"
    try:
        if not path.is_file():
            raise InvalidArgumentError(f"No {kind} at {shown!r}")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise InvalidArgumentError(
                f"The {what} {path.name!r} is larger than {MAX_UPLOAD_BYTES} bytes"
            )
        return path.read_bytes(), path.name
    except OSError as exc:  # too long a name, no permission, removed meanwhile
        raise InvalidArgumentError(
            f"Cannot read the {kind} {shown!r}: {exc.strerror or exc}"
        ) from exc


def _header_safe(name: Optional[str]) -> Optional[str]:
    """The upload's file name goes into a header: plain ASCII only."""
    if name is None:
        return None
    return name.encode("ascii", "replace").decode("ascii").replace("?", "_")


def load_media(item: Any, name: Optional[str] = None) -> MediaFile:
    """Load one image and check that it really is a PNG, JPEG, GIF or WebP image.

    Raises:
        InvalidArgumentError: the item is not a readable image, or is too large.
    """
    data, own_name = _bytes_of(item)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidArgumentError(f"The image is larger than {MAX_UPLOAD_BYTES} bytes")
    mime_type = sniff_image_type(data)
    if mime_type is None:
        raise InvalidArgumentError(
            "The file is not an image (expected PNG, JPEG, GIF or WebP data)"
        )
    name = _header_safe(name or own_name)
    return MediaFile(data=data, name=name or f"image.{_EXTENSIONS[mime_type]}", mime_type=mime_type)


def load_file(item: Any, name: Optional[str] = None) -> MediaFile:
    """Load any file (bytes, a path, a binary file object, a data: URI, a PIL image) to upload.

    Its MIME type comes from its bytes when they are an image, else from its name
    (``application/octet-stream`` when neither tells).

    Raises:
        InvalidArgumentError: the item cannot be read, or is larger than MAX_UPLOAD_BYTES.
    """
    data, own_name = _bytes_of(item, "file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidArgumentError(f"The file is larger than {MAX_UPLOAD_BYTES} bytes")
    name = _header_safe(name or own_name)
    image_type = sniff_image_type(data)
    guessed = mimetypes.guess_type(name)[0] if name else None
    mime_type = image_type or guessed or "application/octet-stream"
    if name is None:
        name = f"image.{_EXTENSIONS[image_type]}" if image_type else "file"
    return MediaFile(data=data, name=name, mime_type=mime_type)


def _as_pair(item: Any) -> tuple[Any, Optional[str]]:
    if isinstance(item, tuple) and len(item) == 2 and (item[1] is None or isinstance(item[1], str)):
        return item[0], item[1]
    return item, None


def media_from_messages(
    messages: Sequence[Mapping[str, Any]], media: Any = None
) -> list[MediaFile]:
    """Every image of the trailing user messages (``image_url`` parts), then ``media``.

    ``media`` is one image or a list of images or ``(image, name)`` pairs (g4f's form).
    """
    return [load_media(item, name) for item, name in media_items(messages, media)]


def media_items(
    messages: Sequence[Mapping[str, Any]], media: Any = None
) -> list[tuple[Any, Optional[str]]]:
    """The ``(image, name)`` pairs :func:`media_from_messages` loads, not yet read."""
    items: list[tuple[Any, Optional[str]]] = []
    for message in _trailing_user_messages(messages):
        content = message.get("content")
        if isinstance(content, (list, tuple)):
            for part in content:
                if isinstance(part, Mapping) and part.get("type") == "image_url":
                    url = part.get("image_url")
                    url = url.get("url") if isinstance(url, Mapping) else url
                    items.append((url, None))
    if media is not None:
        pairs = media if isinstance(media, list) else [media]
        items.extend(_as_pair(item) for item in pairs)
    return items


def _trailing_user_messages(messages: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    trailing: list[Mapping[str, Any]] = []
    for message in reversed(messages):
        if message.get("role") != "user":
            break
        trailing.append(message)
    return list(reversed(trailing))
