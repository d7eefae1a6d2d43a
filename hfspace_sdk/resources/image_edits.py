"""What ``client.images.edit`` checks of its image before handing it to a provider as ``media``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import InvalidArgumentError

__all__ = ["edit_media"]


def edit_media(image: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    """The provider keywords that carry the image to edit.

    Raises:
        InvalidArgumentError: no image, several images, or ``media=`` given as well.
    """
    if "media" in params:
        raise InvalidArgumentError("Give the image to edit as the first argument, not media=")
    if image is None:
        raise InvalidArgumentError("images.edit needs an image to edit")
    if isinstance(image, (list, tuple)):
        # a list would silently edit its last image only
        raise InvalidArgumentError("images.edit edits one image: pass a single image, not a list")
    return {"media": image}
