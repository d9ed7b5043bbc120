"""A decoded picture → RGB at working size, never copying it whole at full size.

The picture is turned to RGB and box-reduced by whole factors one tile at a time, then
resampled smoothly the rest of the way: a 50-megapixel RGBA PNG needs its decoded frame
and a few megabytes more, where converting it whole took three more copies of it.
Transparency lies on white, as chats show it; 16-bit grey becomes 8-bit in integers, a
tile at a time (Pillow's own conversion would clip it, and a float copy of a 7000 × 7000
picture took 400 MB).
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
from PIL import Image

TILE_BYTES: Final = 4 * 1024 * 1024  # converted and reduced this much at a time
TILE_COPIES: Final = 5  # a tile's crop, RGBA, white, composite and RGB (or 16-bit's arrays)
REDUCING_GAP: Final = 2  # box-reduce to within twice the target size, then resample
BYTES_PER_PIXEL: Final = 4  # the most Pillow keeps for a pixel of any mode read here (RGB is RGBX)
ROW_POINTER: Final = 8  # and a pointer per row: a tall, thin picture costs by its rows
RESAMPLE_LINE_BYTES: Final = 48  # Pillow's resampling weights per output row and column


def fit(width: int, height: int, pixels: int) -> tuple[int, int]:
    """The size with about the same shape and at most ``pixels`` pixels (never larger).

    A side cannot shrink below one pixel, so a very thin picture gives the other side
    what is left: 1 × 50,000,000 fits a million pixels as 1 × 1,000,000.
    """
    factor = min(1.0, (pixels / (width * height)) ** 0.5)
    fitted_width = max(1, min(width, round(width * factor)))
    fitted_height = max(1, min(height, round(height * factor), pixels // fitted_width))
    return max(1, min(fitted_width, pixels // fitted_height)), fitted_height


def shrunk_rgb(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The loaded picture in RGB at ``size`` (which ``fit`` gave for it)."""
    width, height = image.size
    factors = _factors(image.size, size)
    tile_width, tile_height = _tile(width, height, factors)
    if (tile_width, tile_height) == (width, height):
        reduced = _reduce(_to_rgb(image), factors)
    else:  # tiles hold whole blocks, so this is what reducing it at once would give
        reduced = Image.new("RGB", _reduced_size(image.size, factors))
        for top in range(0, height, tile_height):
            for left in range(0, width, tile_width):
                box = (left, top, min(width, left + tile_width), min(height, top + tile_height))
                tile = _reduce(_to_rgb(image.crop(box)), factors)
                reduced.paste(tile, (left // factors[0], top // factors[1]))
    if reduced.size == size:
        return reduced
    return reduced.resize(size, Image.Resampling.BILINEAR)


def shrinking_cost(decoded: tuple[int, int], size: tuple[int, int]) -> int:
    """Bytes that shrinking a decoded picture to ``size`` holds besides the picture itself:
    the reduced canvas, a tile's copies, the resampling (its weights, five taps a line at
    most, and the half-way picture between its two passes), the result and its array."""
    reduced = _reduced_size(decoded, _factors(decoded, size))
    resampling = (size[0] + size[1]) * RESAMPLE_LINE_BYTES + held_by_pillow(size[0], reduced[1])
    result = held_by_pillow(*size) + 2 * size[0] * size[1] * 3  # the array, and its bytes
    return held_by_pillow(*reduced) + TILE_COPIES * TILE_BYTES + resampling + result


def held_by_pillow(columns: int, rows: int) -> int:
    """What Pillow holds for a picture of this size in memory, at most."""
    return rows * (columns * BYTES_PER_PIXEL + ROW_POINTER)


def _factors(decoded: tuple[int, int], size: tuple[int, int]) -> tuple[int, int]:
    """Whole reduction factors that leave between one and REDUCING_GAP times ``size``."""
    return (
        max(1, math.ceil(decoded[0] / (size[0] * REDUCING_GAP))),
        max(1, math.ceil(decoded[1] / (size[1] * REDUCING_GAP))),
    )


def _reduced_size(decoded: tuple[int, int], factors: tuple[int, int]) -> tuple[int, int]:
    return -(-decoded[0] // factors[0]), -(-decoded[1] // factors[1])


def _tile(width: int, height: int, factors: tuple[int, int]) -> tuple[int, int]:
    """Whole rows of reduction blocks costing at most TILE_BYTES, or, for a very wide
    picture, one row of blocks cut across; never less than one block."""
    across, down = factors
    rows = TILE_BYTES // held_by_pillow(width, 1) // down * down
    if rows > 0:
        return width, min(height, rows)
    columns = max(across, TILE_BYTES // (down * BYTES_PER_PIXEL) // across * across)
    return min(width, columns), min(height, down)


def _reduce(image: Image.Image, factors: tuple[int, int]) -> Image.Image:
    return image if factors == (1, 1) else image.reduce(factors)


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any mode to RGB: CMYK and palettes convert, transparency lies on white, 16-bit grey
    keeps its whole range in 8 bits."""
    if image.mode == "RGB":
        return image
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        levels = np.clip(np.asarray(image), 0, 65535).astype(np.uint32)
        levels += 128
        levels //= 257  # 0..65535 → 0..255, rounded
        return Image.fromarray(levels.astype(np.uint8), "L").convert("RGB")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")
