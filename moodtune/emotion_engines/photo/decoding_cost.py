"""What decoding a picture will cost in memory, known from its header before decoding.

Measured with Pillow 13; tests/photo/test_photo_memory.py holds these figures against real
decoding. Pillow keeps up to 4 bytes a pixel and a pointer per row, so a 97 KB PNG of
1 × 49,999,999 pixels would take 600 MB, mostly pointers. Besides the picture, the PNG
decoder holds two raw rows while it decodes; a progressive JPEG keeps every 16-bit
coefficient until its last scan, whatever the draft scale; libwebp's decoder keeps its
canvas and previous canvas (4 bytes a pixel each) as long as the picture is open, and
hands over a copy of the frame besides. Shrinking the decoded picture to working size
adds its reduced canvas, a tile's copies, the resampling and the result
(``shrinking.shrinking_cost``).
"""

from __future__ import annotations

import math
from typing import Final

from PIL import Image

from moodtune.emotion_engines.photo.shrinking import fit, held_by_pillow, shrinking_cost

WEBP_CANVASES: Final = 2 * 4  # bytes a pixel libwebp keeps while the picture is open
WEBP_FRAME: Final = 4  # and the frame it hands over while loading
PNG_RAW_ROWS: Final = 2  # the current and the prior row, as stored...
RAW_SAMPLE_BYTES: Final = 2  # ...at up to 16 bits a channel
COEFFICIENT_BYTES: Final = 2  # per pixel and channel, kept by a progressive JPEG


def decoding_cost(image: Image.Image, declared: tuple[int, int], working_pixels: int) -> int:
    """The most bytes held while an opened, not yet loaded, picture is decoded and shrunk
    to ``working_pixels``. ``image.size`` is the size it decodes at (a JPEG's draft
    scale), ``declared`` the size its header gives."""
    columns, rows = image.size
    held = held_by_pillow(columns, rows)
    loading = held
    if image.format == "WEBP":
        held += columns * rows * WEBP_CANVASES
        loading = held + columns * rows * WEBP_FRAME
    elif image.format == "PNG":
        loading += _png_rows(columns, len(image.getbands()))
    elif image.format in ("JPEG", "MPO") and image.info.get("progressive"):
        loading += declared[0] * declared[1] * len(image.getbands()) * COEFFICIENT_BYTES
    shrinking = held + shrinking_cost(image.size, fit(columns, rows, working_pixels))
    return max(loading, shrinking)


def decoding_budget(max_pixels: int, working_pixels: int) -> int:
    """What the largest picture within ``max_pixels`` costs: a square 16-bit RGBA PNG."""
    side = math.isqrt(max_pixels)
    held = held_by_pillow(side, side)
    shrinking = shrinking_cost((side, side), fit(side, side, working_pixels))
    return held + max(_png_rows(side, bands=4), shrinking)


def _png_rows(columns: int, bands: int) -> int:
    return PNG_RAW_ROWS * columns * bands * RAW_SAMPLE_BYTES
