"""The image a provider sends its Space: picked from ``media`` and the messages, uploaded in the job.

Janus (chat about an image) and FLUX.1-Kontext-dev (edit an image) take their image the same
way: the image parts of the trailing user messages, then ``media``; the last one is used. Each
is read and checked when the request is made (a missing file or a non-image fails before any
request), except an :class:`~hfspace_sdk.Image` from an earlier result that only has a URL: it
is downloaded inside the job, under the job's deadline, so a ``generate`` → ``edit`` chain needs
no saving in between.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Optional, Union

from ..cancel import CancelScope
from ..gradio.files import upload_files
from ..gradio.space import GradioApp
from ..media import MediaFile, load_media, media_items

__all__ = ["PendingImage", "last_image", "load_image", "upload_image"]

#: An image ready to upload, or one still to download (an earlier result's URL).
PendingImage = Union[MediaFile, Callable[[], MediaFile]]


def load_image(item: Any, name: Optional[str] = None) -> PendingImage:
    """One image argument, checked now; an earlier result's URL is left to download in the job.

    Raises:
        InvalidArgumentError: the item is not a readable PNG, JPEG, GIF or WebP image, or is
            too large.
    """
    from ..images import Image  # (images loads the HTTP layer: only when an image is given)

    if isinstance(item, Image):
        if item.url is None:  # base64 data: nothing to download
            return load_media(item.bytes(), name)
        return functools.partial(_download, item, name)
    return load_media(item, name)


def _download(image: Any, name: Optional[str]) -> MediaFile:
    return load_media(image.bytes(), name)


def last_image(messages: Sequence[Mapping[str, Any]], media: Any = None) -> Optional[PendingImage]:
    """The image to send: the last of the trailing user messages' images and ``media``.

    Every image given is checked, not only the one sent.

    Raises:
        InvalidArgumentError: an image cannot be read or is not an image.
    """
    images = [load_image(item, name) for item, name in media_items(messages, media)]
    return images[-1] if images else None


def upload_image(
    space: GradioApp, image: PendingImage, *, upload_id: str, scope: CancelScope
) -> dict[str, Any]:
    """Upload the image to the Space (downloading an earlier result first); its FileData.

    Raises:
        InvalidArgumentError: an earlier result's bytes are not an image.
        ProtocolError: the Space's answer to the upload is not one server path.
        ResponseStatusError, SpaceConnectionError, SpaceTimeoutError: from the requests.
    """
    media = image if isinstance(image, MediaFile) else image()
    scope.check()
    return upload_files(space, [media], upload_id=upload_id, scope=scope)[0]
