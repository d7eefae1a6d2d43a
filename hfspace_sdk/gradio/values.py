"""Arguments to a Space function's data, and its data back to Python values. Pure.

:func:`bind_arguments` does what Python does for a call (positional, then keywords, then
defaults) against an :class:`~.api_info.Endpoint`, so a wrong call fails before anything is
sent. :func:`assemble_payload` adds the slots ``/info`` leaves out (``gr.State``), and
:func:`decode_outputs` turns the Space's data into values: each FileData becomes an object made
by the caller's factory (an image, or another file), a gallery a list of them.
"""

from __future__ import annotations

import mimetypes
import posixpath
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Optional
from urllib.parse import unquote, urlsplit

from ..errors import InvalidArgumentError, ProtocolError
from .api_info import Endpoint, Parameter
from .app_config import AppFunction

__all__ = [
    "IMAGE_MIME_TYPES",
    "FileFactory",
    "assemble_payload",
    "bind_arguments",
    "decode_outputs",
    "file_data_name",
    "file_mime_type",
    "input_kind",
    "is_file_data",
    "is_image_file",
    "server_path",
]

#: The image types the SDK's :class:`~hfspace_sdk.Image` downloads and saves.
IMAGE_MIME_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
_IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})
_IMAGE_COMPONENTS = frozenset({"image"})
_FILE_COMPONENTS = frozenset({"file", "audio", "video", "model3d", "uploadbutton"})
_FILE_DATA_KEYS = frozenset({"path", "url", "size", "orig_name", "mime_type", "is_stream", "meta"})

#: Makes the object for one output file: ``(file_data, as_image, caption)``.
FileFactory = Callable[[Mapping[str, Any], bool, Optional[str]], Any]


# --- binding arguments --------------------------------------------------------------------


def _signature(endpoint: Endpoint) -> str:
    shown = []
    for position, parameter in enumerate(endpoint.parameters, start=1):
        name = parameter.name or f"#{position} ({parameter.component or 'value'})"
        shown.append(name if parameter.required else f"{name}={parameter.default!r}")
    return f"{endpoint.api_name}({', '.join(shown)})"


def bind_arguments(endpoint: Endpoint, args: Sequence[Any], kwargs: Mapping[str, Any]) -> list[Any]:
    """One value per parameter of ``endpoint``: positional first, then by name, then defaults.

    Raises:
        InvalidArgumentError: too many positional arguments, an unknown keyword, a value given
            twice, or a required parameter left out; the message shows the signature.
    """
    parameters = endpoint.parameters
    if not endpoint.described and endpoint.function.inputs is None:
        if kwargs:  # a config without inputs: nothing is known, positional values go as they are
            raise InvalidArgumentError(
                f"{endpoint.api_name} has no described parameters: pass its values by position"
            )
        return list(args)
    if len(args) > len(parameters):
        raise InvalidArgumentError(
            f"{endpoint.api_name} takes {len(parameters)} argument"
            f"{'' if len(parameters) == 1 else 's'}, {len(args)} given: {_signature(endpoint)}"
        )
    names = {p.name: index for index, p in enumerate(parameters) if p.name is not None}
    values: dict[int, Any] = dict(enumerate(args))
    for name, value in kwargs.items():
        index = names.get(name)
        if index is None:
            hint = "" if endpoint.described else " (the Space does not name its parameters)"
            raise InvalidArgumentError(
                f"{endpoint.api_name} has no parameter {name!r}{hint}: {_signature(endpoint)}"
            )
        if index in values:
            raise InvalidArgumentError(
                f"{endpoint.api_name} got two values for {name!r}: {_signature(endpoint)}"
            )
        values[index] = value
    missing = [
        _shown(parameter, index)
        for index, parameter in enumerate(parameters)
        if index not in values and parameter.required
    ]
    if missing:
        raise InvalidArgumentError(
            f"{endpoint.api_name} needs {', '.join(missing)}: {_signature(endpoint)}"
        )
    return [values.get(index, parameter.default) for index, parameter in enumerate(parameters)]


def _shown(parameter: Parameter, index: int) -> str:
    return repr(parameter.name) if parameter.name else f"argument #{index + 1}"


def assemble_payload(function: AppFunction, values: Sequence[Any]) -> list[Any]:
    """The function's data: ``values`` in the API's slots, None in the slots the API skips.

    Raises:
        InvalidArgumentError: not one value per slot of the API (a description that does not
            fit the config).
    """
    if function.inputs is None:
        return list(values)
    slots = [component for component in function.inputs if not component.skip_api]
    if len(slots) != len(values):
        raise InvalidArgumentError(
            f"/{function.api_name} takes {len(slots)} values, not {len(values)}"
        )
    remaining = iter(values)
    return [None if component.skip_api else next(remaining) for component in function.inputs]


def input_kind(component: str) -> str:
    """How a parameter takes its value: ``"image"``, ``"file"``, ``"video"`` (a file in a
    video object), ``"gallery"`` (a list of images) or ``"value"`` (JSON as given)."""
    kind = component.lower()
    if kind in _IMAGE_COMPONENTS or kind == "gallery":
        return kind
    if kind == "video":
        return "video"
    return "file" if kind in _FILE_COMPONENTS else "value"


# --- files in outputs ---------------------------------------------------------------------


def is_file_data(value: Any) -> bool:
    """True for a Gradio FileData dict (``meta._type`` says so; older servers: only its keys)."""
    if not isinstance(value, Mapping):
        return False
    if not any(isinstance(value.get(key), str) for key in ("path", "url")):
        return False
    meta = value.get("meta")
    if isinstance(meta, Mapping) and meta.get("_type") == "gradio.FileData":
        return True
    return "path" in value and set(value) <= _FILE_DATA_KEYS


def file_data_name(file_data: Mapping[str, Any]) -> str:
    """The file's own name: ``orig_name``, else the last part of its path or URL."""
    name = file_data.get("orig_name")
    if isinstance(name, str) and name.strip():
        return name
    for key in ("path", "url"):
        value = file_data.get(key)
        if isinstance(value, str) and value:
            tail = posixpath.basename(unquote(urlsplit(value).path if key == "url" else value))
            if tail:
                return tail
    return "file"


def file_mime_type(file_data: Mapping[str, Any]) -> Optional[str]:
    """The MIME type the FileData gives, else the one its name suggests."""
    mime_type = file_data.get("mime_type")
    if isinstance(mime_type, str) and mime_type:
        return mime_type
    return mimetypes.guess_type(file_data_name(file_data))[0]


def is_image_file(file_data: Mapping[str, Any]) -> bool:
    """True when the FileData's MIME type or name says PNG, JPEG, GIF or WebP."""
    if file_mime_type(file_data) in IMAGE_MIME_TYPES:
        return True
    return posixpath.splitext(file_data_name(file_data).lower())[1] in _IMAGE_EXTENSIONS


def server_path(url: str, file_route: str) -> Optional[str]:
    """The Space's path of a file it serves at ``url``, when ``url`` is under ``file_route``
    (``{base}{prefix}/file=``); None for a file served elsewhere."""
    if not url.startswith(file_route) or len(url) == len(file_route):
        return None
    return unquote(url[len(file_route) :])


# --- decoding outputs ---------------------------------------------------------------------


def _walk(value: Any, make: FileFactory, image: bool) -> Any:
    """``value`` with every FileData in it made an object (images as images)."""
    if is_file_data(value):
        return make(value, image or is_image_file(value), None)
    if isinstance(value, list):
        return [_walk(item, make, image) for item in value]
    if isinstance(value, Mapping):
        return {key: _walk(item, make, image) for key, item in value.items()}
    return value


def _gallery_item(item: Any, make: FileFactory) -> Any:
    if isinstance(item, Mapping) and not is_file_data(item):
        caption = item.get("caption")
        caption = caption if isinstance(caption, str) else None
        if is_file_data(item.get("image")):
            return make(item["image"], True, caption)
        if is_file_data(item.get("video")):
            return make(item["video"], False, caption)
    return _walk(item, make, False)


def _decode(component: Optional[str], value: Any, make: FileFactory) -> Any:
    kind = (component or "").lower()
    if kind == "gallery" and isinstance(value, list):
        return [_gallery_item(item, make) for item in value]
    if kind == "video" and isinstance(value, Mapping) and is_file_data(value.get("video")):
        return make(value["video"], False, None)  # subtitles dropped: the video is the value
    return _walk(value, make, kind in _IMAGE_COMPONENTS)


def decode_outputs(endpoint: Endpoint, data: Sequence[Any], make: FileFactory) -> Any:
    """The call's result: one output as its value, several as a tuple (None for none).

    The outputs the API skips (``gr.State``) are left out, as ``/info`` leaves them out.

    Raises:
        ProtocolError: the Space sent another number of outputs than the function has.
    """
    outputs = endpoint.function.outputs
    if outputs is None:
        components: list[Optional[str]] = [p.component for p in endpoint.returns]
        kept = list(data)
    else:
        if len(outputs) != len(data):
            raise ProtocolError(
                f"{endpoint.api_name} sent {len(data)} outputs where {len(outputs)} were expected"
            )
        pairs = [(c, v) for c, v in zip(outputs, data) if not c.skip_api]
        components = [c.type for c, _ in pairs]
        kept = [value for _, value in pairs]
    components += [None] * (len(kept) - len(components))
    values = [_decode(c, v, make) for c, v in zip(components, kept)]
    if not values:
        return None
    return values[0] if len(values) == 1 else tuple(values)
