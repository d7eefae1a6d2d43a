"""Checks that a URL serves a real image, shared by the end-to-end tests."""

from __future__ import annotations

import io

import requests


def image_size(url: str) -> tuple[int, int]:
    """Download an image URL and return its (width, height): proves it is a real image."""
    from PIL import Image

    response = requests.get(url, timeout=30)
    response.raise_for_status()
    with Image.open(io.BytesIO(response.content)) as image:
        image.load()
        return image.size
