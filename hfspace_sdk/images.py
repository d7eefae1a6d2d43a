"""Generated images you can keep and see: capped, checked downloads; safe saving; display.

:class:`Image` and :class:`ImagesResponse` have the OpenAI/g4f shape. Downloads carry no
credentials, stop at :data:`MAX_DOWNLOAD_BYTES`, and must be PNG, JPEG, GIF or WebP bytes.
File names come from the prompt and the image type, never from the server's path.
"""

from __future__ import annotations

import base64
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Union

from .cancel import CancelScope
from .config import Settings
from .errors import HFSpaceError, InvalidArgumentError, ProtocolError
from .http import HttpClient
from .media import sniff_image_type

__all__ = [
    "MAX_DOWNLOAD_BYTES",
    "Image",
    "ImageDownloader",
    "ImagesResponse",
    "download_file",
    "download_image",
    "file_name_for",
    "save_image_bytes",
]

#: The largest image accepted from a Space.
MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024
_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")

Downloader = Callable[[str], bytes]


def download_image(http: HttpClient, url: str, *, max_bytes: int = MAX_DOWNLOAD_BYTES) -> bytes:
    """Fetch an image: no credentials sent, at most ``max_bytes`` read, image bytes checked.

    Raises:
        ProtocolError: the answer is larger than ``max_bytes`` or is not an image.
        InvalidArgumentError: the URL is not http(s).
        ResponseStatusError, SpaceConnectionError, SpaceTimeoutError: as for any request.
    """
    data, content_type = _capped_download(http, url, max_bytes, what="image")
    if sniff_image_type(data) is None:
        raise ProtocolError(f"{url} did not answer with an image (content-type {content_type})")
    return data


def download_file(http: HttpClient, url: str, *, max_bytes: int = MAX_DOWNLOAD_BYTES) -> bytes:
    """Fetch any file a Space returned, as :func:`download_image` does but of any type.

    Raises:
        ProtocolError: the answer is larger than ``max_bytes``.
        InvalidArgumentError: the URL is not http(s).
        ResponseStatusError, SpaceConnectionError, SpaceTimeoutError: as for any request.
    """
    return _capped_download(http, url, max_bytes, what="file")[0]


def _capped_download(http: HttpClient, url: str, max_bytes: int, *, what: str) -> tuple[bytes, str]:
    """The body and content type of ``url``, read under the total timeout and ``max_bytes``."""
    if not url.startswith(("http://", "https://")):
        raise InvalidArgumentError(f"Only http(s) {what} URLs can be downloaded, not {url[:80]!r}")
    # The whole download shares the total timeout: a server trickling bytes cannot hold it.
    scope = CancelScope(http.settings.timeout.total)
    deadline = threading.Timer(scope.remaining(), scope.expire)  # interrupts a read in progress
    deadline.daemon = True
    deadline.start()
    try:
        return _download(http, url, max_bytes, scope, what)
    finally:
        deadline.cancel()
        deadline.join()


def _download(
    http: HttpClient, url: str, max_bytes: int, scope: CancelScope, what: str
) -> tuple[bytes, str]:
    response = http.request("GET", url, space=None, stream=True, scope=scope)
    with http.streaming(response, scope):
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise ProtocolError(
                f"The {what} at {url} is {declared} bytes; the limit is {max_bytes}"
            )
        chunks, size = [], 0
        for chunk in http.iter_body(response, scope, chunk_size=256 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise ProtocolError(f"The {what} at {url} is larger than {max_bytes} bytes")
            chunks.append(chunk)
    return b"".join(chunks), response.headers.get("content-type", "?")


def file_name_for(data: bytes, *, stem: str, index: Optional[int] = None) -> str:
    """A safe file name: ``stem`` reduced to ``[A-Za-z0-9_-]``, an index, the type's extension."""
    safe_stem = _UNSAFE.sub("-", stem).strip("-")[:60] or "image"
    suffix = "" if index is None else f"-{index}"
    return f"{safe_stem}{suffix}{_EXTENSIONS.get(sniff_image_type(data) or '', '.img')}"


def save_image_bytes(data: bytes, path: Union[str, Path]) -> Path:
    """Write image bytes to ``path`` (a file, or a directory to put a generated name in).

    A file name whose extension names another image type (``fox.png`` for WebP bytes) gets the
    image converted with Pillow when it is installed, and is refused otherwise.

    Raises:
        InvalidArgumentError: the bytes are not an image, the parent directory is missing, or
            the extension needs a conversion and Pillow is not installed.
    """
    if sniff_image_type(data) is None:
        raise InvalidArgumentError("Refusing to save bytes that are not an image")
    target = Path(path)
    if target.is_dir():
        target = target / file_name_for(data, stem="image")
    if not target.parent.is_dir():
        raise InvalidArgumentError(f"The directory {str(target.parent)!r} does not exist")
    target.write_bytes(_in_format_of(target, data))
    return target


_FORMATS_BY_SUFFIX = {
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".gif": "GIF",
    ".webp": "WEBP",
}


def _in_format_of(target: Path, data: bytes) -> bytes:
    """The image re-encoded to match ``target``'s extension, if it names another image type."""
    wanted = _FORMATS_BY_SUFFIX.get(target.suffix.lower())
    actual = sniff_image_type(data)
    if wanted is None or actual is None or _FORMATS_BY_SUFFIX[_EXTENSIONS[actual]] == wanted:
        return data
    try:
        from PIL import Image as PILImage
    except ImportError as exc:
        raise InvalidArgumentError(
            f"The image is {actual} but {target.name!r} names another type: save it as "
            f"{_EXTENSIONS[actual]}, or install Pillow to convert ('hfspace_sdk[pil]')"
        ) from exc
    import io

    with PILImage.open(io.BytesIO(data)) as picture:
        buffer = io.BytesIO()
        converted = picture.convert("RGB") if wanted == "JPEG" else picture
        converted.save(buffer, format=wanted)
    return buffer.getvalue()


class ImageDownloader:
    """Downloads images (and, with :meth:`file`, any file) with one client's settings (proxy,
    timeouts; never credentials).

    While the client is open its connections are used; once it is closed (before or during a
    download) a short-lived connection with the same settings is, so results outlive their
    client.
    """

    def __init__(self, settings: Settings, http: Optional[HttpClient] = None) -> None:
        self._settings = settings
        self._http = http

    def __call__(self, url: str) -> bytes:
        return self._fetch(download_image, url)

    def file(self, url: str) -> bytes:
        """Any file's bytes (size-capped, not checked to be an image)."""
        return self._fetch(download_file, url)

    def _fetch(self, download: Callable[[HttpClient, str], bytes], url: str) -> bytes:
        http = self._http
        if http is not None and not http.closed:
            try:
                return download(http, url)
            except HFSpaceError:
                if not http.closed:
                    raise
        temporary = HttpClient(self._settings)
        try:
            return download(temporary, url)
        finally:
            temporary.close()

    def __repr__(self) -> str:
        return f"<ImageDownloader {self._settings!r}>"


def _default_downloader(url: str) -> bytes:
    """For images made outside a client: default settings, read from the environment now."""
    return ImageDownloader(Settings.from_options())(url)


@dataclass(frozen=True)
class Image:
    """One generated image (OpenAI's shape): a ``url`` or base64 data, and the prompt used.

    Jupyter shows it inline. Bytes are downloaded on first use and kept.
    """

    url: Optional[str] = None
    b64_json: Optional[str] = field(default=None, repr=False)  # can be megabytes long
    revised_prompt: Optional[str] = None
    _downloader: Downloader = field(default=_default_downloader, repr=False, compare=False)
    _cache: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    def bytes(self) -> bytes:
        """The image file's bytes (decoded from ``b64_json``, else downloaded once)."""
        if "data" not in self._cache:
            if self.b64_json is not None:
                self._cache["data"] = base64.b64decode(self.b64_json)
            elif self.url is not None:
                self._cache["data"] = self._downloader(self.url)
            else:
                raise InvalidArgumentError("This image has neither a url nor b64_json")
        return self._cache["data"]

    @property
    def mime_type(self) -> Optional[str]:
        """``image/webp``, ``image/png``, ... read from the bytes (downloads them if needed)."""
        return sniff_image_type(self.bytes())

    def save(self, path: Union[str, Path]) -> Path:
        """Save to a file path, or into a directory under a name made from the prompt.

        Converts to the type the extension names, as :func:`save_image_bytes` does.
        Returns the path written.
        """
        data = self.bytes()
        target = Path(path)
        if target.is_dir():
            target = target / file_name_for(data, stem=self.revised_prompt or "image")
        return save_image_bytes(data, target)

    def to_pil(self) -> Any:
        """The image as a ``PIL.Image.Image`` (needs Pillow: ``pip install hfspace_sdk[pil]``)."""
        try:
            from PIL import Image as PILImage
        except ImportError as exc:
            raise ImportError(
                "Image.to_pil() needs Pillow: pip install 'hfspace_sdk[pil]'"
            ) from exc
        import io

        picture = PILImage.open(io.BytesIO(self.bytes()))
        picture.load()
        return picture

    def _src(self) -> str:
        if self.b64_json is not None:
            mime = sniff_image_type(self.bytes()) or "image/png"
            return f"data:{mime};base64,{self.b64_json}"
        return self.url or ""

    def _repr_html_(self) -> str:
        import html  # Jupyter only

        alt = html.escape(self.revised_prompt or "", quote=True)
        return f'<img src="{html.escape(self._src(), quote=True)}" alt="{alt}" style="max-width:100%"/>'


@dataclass(frozen=True)
class ImagesResponse:
    """The result of ``client.images.generate``: final images only, never previews."""

    created: int
    model: str
    provider: str
    data: Sequence[Image]

    @classmethod
    def now(cls, *, model: str, provider: str, data: Sequence[Image]) -> ImagesResponse:
        """A response stamped with the current time."""
        return cls(created=int(time.time()), model=model, provider=provider, data=tuple(data))

    def save(self, directory: Union[str, Path]) -> list[Path]:
        """Save every image into ``directory`` (created if missing); the paths written."""
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for index, image in enumerate(self.data, start=1):
            data = image.bytes()
            stem = image.revised_prompt or "image"
            name = file_name_for(data, stem=stem, index=index if len(self.data) > 1 else None)
            paths.append(save_image_bytes(data, folder / name))
        return paths

    def _repr_html_(self) -> str:
        return "".join(image._repr_html_() for image in self.data)
