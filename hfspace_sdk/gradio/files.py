"""Files on a Space: multipart upload of inputs, and the URL of outputs (FileData)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Optional

from ..cancel import CancelScope
from ..errors import ProtocolError
from ..http import read_json
from ..media import MediaFile
from .space import GradioApp

__all__ = ["file_data", "output_url", "upload_files"]


def upload_files(
    space: GradioApp, files: Sequence[MediaFile], *, upload_id: str, scope: CancelScope
) -> list[dict[str, Any]]:
    """Upload files (images or any other) as multipart ``files`` parts; their FileData dicts,
    in the same order.

    Raises:
        ProtocolError: the Space did not answer with one server path per file.
    """
    url = space.api_url("/upload", scope)
    parts = [("files", (media.name, media.data, media.mime_type)) for media in files]
    response = space.http.request(
        "POST", url, space=space.space_id, scope=scope, params={"upload_id": upload_id}, files=parts
    )
    paths = read_json(response, space=space.space_id, what="upload")
    if not (
        isinstance(paths, list)
        and len(paths) == len(files)
        and all(isinstance(p, str) for p in paths)
    ):
        raise ProtocolError(
            f"{space.space_id} answered the upload with {paths!r:.200}", space=space.space_id
        )
    return [file_data(space, path, media, scope) for path, media in zip(paths, files)]


def file_data(
    space: GradioApp, server_path: str, media: MediaFile, scope: Optional[CancelScope] = None
) -> dict[str, Any]:
    """The FileData dict that passes an uploaded file as a function input."""
    return {
        "path": server_path,
        "url": space.file_url(server_path, scope),
        "orig_name": media.name,
        "size": len(media.data),
        "mime_type": media.mime_type,
        "meta": {"_type": "gradio.FileData"},
    }


def output_url(space: GradioApp, value: Any, scope: Optional[CancelScope] = None) -> str:
    """The download URL of a file output (a FileData dict, or a gallery item holding one).

    Raises:
        ProtocolError: the value is not a file.
    """
    if isinstance(value, Mapping) and isinstance(value.get("image"), Mapping):
        value = value["image"]
    if isinstance(value, Mapping):
        url = value.get("url")
        if isinstance(url, str) and url:
            return url
        path = value.get("path")
        if isinstance(path, str) and path:
            return space.file_url(path, scope)
    raise ProtocolError(
        f"{space.space_id} returned {value!r:.200} where a file was expected", space=space.space_id
    )
