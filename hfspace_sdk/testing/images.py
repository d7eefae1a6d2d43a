"""Deterministic, cheap, real images for the look-alike Spaces.

Every picture is a function of ``(seed, prompt, width, height, variant)`` only: a two-axis colour
gradient whose colours come from a hash of the seed and the prompt, with a few solid blocks on
top. ``variant`` 0 is the final image; higher variants are previews (darker, fewer blocks, and a
diagonal band) so that a preview never equals the final picture. Drawing is vectorised numpy and
takes a few tens of milliseconds even at 2048x2048.
"""

from __future__ import annotations

import hashlib

import numpy as np
from PIL import Image

__all__ = ["image_digest", "render_image", "render_upscaled"]

_BLOCKS = 4
_BAND_PIXELS = 1 << 20  # pixels per float32 band while drawing the gradient


def image_digest(seed: int, prompt: str, variant: int = 0) -> bytes:
    """The 32 pseudo-random bytes that decide the colours and blocks of one picture."""
    key = f"{int(seed)}\x00{prompt}\x00{int(variant)}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(key).digest()


def render_image(
    seed: int, prompt: str, width: int, height: int, *, variant: int = 0
) -> Image.Image:
    """Draw an RGB image of exactly ``width`` x ``height`` pixels.

    Colours depend on ``seed`` and ``prompt`` only (the size changes the geometry, not the
    palette), so the same request always gives the same picture. ``variant`` > 0 draws a preview
    that differs visibly from the final (``variant == 0``) image.
    """
    width = max(1, int(width))
    height = max(1, int(height))
    palette = image_digest(seed, prompt)
    extra = image_digest(seed, prompt, variant) if variant else palette

    top_left = np.frombuffer(palette[0:3], dtype=np.uint8).astype(np.float32)
    right = np.frombuffer(palette[3:6], dtype=np.uint8).astype(np.float32) - top_left
    down = np.frombuffer(palette[6:9], dtype=np.uint8).astype(np.float32) - top_left

    xs = np.linspace(0.0, 1.0, width, dtype=np.float32)
    ys = np.linspace(0.0, 1.0, height, dtype=np.float32)
    row = xs[:, None] * right[None, :]  # (width, 3)
    col = ys[:, None] * down[None, :] + top_left[None, :]  # (height, 3)
    canvas = np.empty((height, width, 3), dtype=np.uint8)
    # Fill in bands of rows so the float32 temporary stays small even for huge images.
    band_rows = max(1, _BAND_PIXELS // width)
    for top in range(0, height, band_rows):
        band = row[None, :, :] + col[top : top + band_rows, None, :]
        np.clip(band, 0.0, 255.0, out=band)
        canvas[top : top + band_rows] = band

    blocks = _BLOCKS if variant == 0 else max(1, _BLOCKS - variant)
    for i in range(blocks):
        b = palette[9 + 5 * i : 14 + 5 * i]
        x0 = b[0] * width // 256
        y0 = b[1] * height // 256
        x1 = min(width, x0 + max(1, width // 8 + b[2] * width // 1024))
        y1 = min(height, y0 + max(1, height // 8 + b[2] * height // 1024))
        canvas[y0:y1, x0:x1] = (b[3], b[4], b[2] ^ b[3])

    if variant:
        # Previews: darker and crossed by a band whose position depends on the variant.
        canvas //= 2
        stripe = max(1, height // 10)
        start = (extra[0] * height // 256 + variant * stripe) % height
        canvas[start : start + stripe, :] = (255 - extra[1], extra[2], 255 - extra[3])
    return Image.fromarray(canvas)  # (height, width, 3) uint8 -> RGB


def render_upscaled(
    seed: int, prompt: str, size: int, *, scale: int = 2, variant: int = 0
) -> Image.Image:
    """Draw a ``size`` x ``size`` image at ``size // scale`` and upscale it (like Janus-Pro)."""
    small = render_image(
        seed, prompt, max(1, size // scale), max(1, size // scale), variant=variant
    )
    return small.resize((size, size), Image.Resampling.NEAREST)
