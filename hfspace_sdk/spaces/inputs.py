"""File arguments of a Space call: read and checked before the job, uploaded inside it.

A file or image parameter takes a path, bytes, a binary file object, a PIL image, a data: URI,
an http(s) URL (the Space fetches it itself), or an :class:`~hfspace_sdk.Image` or
:class:`~hfspace_sdk.File` from an earlier result: one the same Space serves is passed by its
path on the Space, any other is downloaded and uploaded. Local files are read when the call is
made, so a missing file fails at once; every upload of a call goes in one request, in the job.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable, Union
from urllib.parse import unquote, urlsplit

from ..cancel import CancelScope
from ..errors import InvalidArgumentError
from ..gradio.api_info import Endpoint, Parameter
from ..gradio.files import upload_files
from ..gradio.space import GradioApp
from ..gradio.values import input_kind, is_file_data, server_path
from ..media import MediaFile, load_file, load_media

__all__ = ["PreparedInputs", "prepare_inputs"]

_FILE_META = {"_type": "gradio.FileData"}

#: A file to upload: loaded already, or loaded in the job (an earlier result's download).
PendingFile = Union[MediaFile, Callable[[], MediaFile]]


class _Slot:
    """Where the FileData of the ``index``-th uploaded file goes in the data."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


@dataclass(frozen=True)
class PreparedInputs:
    """The call's values, with a placeholder for each file still to upload."""

    values: list[Any]
    files: list[PendingFile]

    def upload(self, space: GradioApp, *, upload_id: str, scope: CancelScope) -> list[Any]:
        """Upload the files (one request) and return the values with their FileData in place.

        Raises:
            ProtocolError: the Space's answer to the upload is not one path per file.
            InvalidArgumentError: an earlier result's bytes are not what its parameter takes.
            ResponseStatusError, SpaceConnectionError, SpaceTimeoutError: from the requests.
        """
        if not self.files:
            return self.values
        media = [item if isinstance(item, MediaFile) else item() for item in self.files]
        scope.check()
        uploaded = upload_files(space, media, upload_id=upload_id, scope=scope)
        return [_fill(value, uploaded) for value in self.values]


def _fill(value: Any, uploaded: Sequence[dict[str, Any]]) -> Any:
    if isinstance(value, _Slot):
        return uploaded[value.index]
    if isinstance(value, list):
        return [_fill(item, uploaded) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, uploaded) for key, item in value.items()}
    return value


def prepare_inputs(space: GradioApp, endpoint: Endpoint, values: Sequence[Any]) -> PreparedInputs:
    """Read the file arguments of a bound call (see the module docstring); no request is sent.

    ``space`` must have its ``/config`` already (to recognise the Space's own file URLs).

    Raises:
        InvalidArgumentError: a file cannot be read, is too large, is not an image where an
            image is expected, or a value cannot go to its parameter.
    """
    files: list[PendingFile] = []
    file_route = space.file_url("")
    prepared = [
        _prepare(parameter, value, files, file_route)
        for parameter, value in zip(endpoint.parameters, values)
    ]
    prepared += list(values[len(endpoint.parameters) :])  # a config that lists no inputs
    return PreparedInputs(values=prepared, files=files)


def _prepare(parameter: Parameter, value: Any, files: list[PendingFile], route: str) -> Any:
    kind = input_kind(parameter.component)
    if kind == "value":
        return _plain(parameter, value)
    if value is None or is_file_data(value):
        return value
    try:
        if kind == "gallery":
            items = value if isinstance(value, (list, tuple)) else [value]
            return [{"image": _file(i, True, files, route), "caption": None} for i in items]
        if kind == "video":
            return {"video": _file(value, False, files, route), "subtitles": None}
        if kind == "file" and isinstance(value, (list, tuple)):  # gr.File(file_count="multiple")
            return [_file(item, False, files, route) for item in value]
        return _file(value, kind == "image", files, route)
    except InvalidArgumentError as exc:
        raise InvalidArgumentError(f"{_named(parameter)}: {exc}") from exc


def _named(parameter: Parameter) -> str:
    label = parameter.name or parameter.label or "a parameter"
    return f"{label} ({parameter.component})" if parameter.component else label


def _plain(parameter: Parameter, value: Any) -> Any:
    """A value for a non-file parameter: JSON as given; our result objects are refused."""
    from ..files import File
    from ..images import Image

    if isinstance(value, (File, Image, bytes, bytearray, memoryview, os.PathLike)):
        raise InvalidArgumentError(
            f"{_named(parameter)} takes {parameter.type}, not a file ({type(value).__name__})"
        )
    try:  # checked here, as the request will encode it: a failure in the job would be late
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(f"{_named(parameter)}: cannot be sent as JSON ({exc})") from None
    return value


def _file(item: Any, image: bool, files: list[PendingFile], route: str) -> Any:
    """The FileData (or an upload placeholder) for one file argument."""
    from ..files import File
    from ..images import Image

    if isinstance(item, str) and item.startswith(("http://", "https://")):
        return _remote_file_data(item, route)
    if isinstance(item, (File, Image)) and item.url is not None:
        place = server_path(item.url, route)
        if place is not None:  # served by this Space: passed in place, never re-sent
            name = item.name if isinstance(item, File) else posixpath.basename(place)
            return {"path": place, "url": item.url, "orig_name": name, "meta": _FILE_META}
        files.append(_later(item, image))
        return _Slot(len(files) - 1)
    if isinstance(item, Image):  # base64 data only
        files.append(load_media(item.bytes()))
        return _Slot(len(files) - 1)
    files.append(load_media(item) if image else load_file(item))
    return _Slot(len(files) - 1)


def _remote_file_data(url: str, route: str) -> dict[str, Any]:
    """A URL argument: the Space downloads it (or reads its own file in place)."""
    place = server_path(url, route)
    name = posixpath.basename(unquote(urlsplit(url).path)) or "file"
    return {"path": place or url, "url": url, "orig_name": name, "meta": _FILE_META}


def _later(item: Any, image: bool) -> Callable[[], MediaFile]:
    """Download an earlier result (from another Space) in the job, then check it as an input."""
    name = item.name if not image and hasattr(item, "name") else None

    def load() -> MediaFile:
        data = item.bytes()
        return load_media(data) if image else load_file(data, name)

    return load
