"""Photo bytes → an RGB array at working size, in memory bounded before a pixel is decoded.

Chat platforms deliver JPEG, PNG and WebP (and sometimes GIF). Pillow's ``Image.open``
reads only the header, so the byte size, the format, the pixel count and then what
decoding will cost in memory (``decoding_cost``: a 97 KB PNG of 1 × 49,999,999 pixels
would take 600 MB) are checked before ``load()``: a decompression bomb is refused while it
is still a few bytes. No picture may cost more than the largest one the pixel limit lets
through. (Pillow's process-wide guard, ``Image.MAX_IMAGE_PIXELS``, is left alone; it only
fires far above our limit, and is then reported the same way.)

Big JPEGs are decoded at a reduced scale (``draft``: the DCT does the downscaling for
free), so a 12-megapixel phone photo costs about as much as a 1-megapixel one; anything
else is shrunk a tile at a time (``shrinking``). The EXIF orientation is applied to the
small result, and the memory a big picture took is given back to the system afterwards.
Pictures decoded at the same time share that limit (``memory.DECODING``): four big ones
at once take what one takes.
"""

from __future__ import annotations

import io
from contextlib import closing
from dataclasses import dataclass
from typing import Final

import numpy as np
from PIL import ExifTags, Image, UnidentifiedImageError

from moodtune.emotion_engines.memory import DECODING, return_freed_memory
from moodtune.emotion_engines.photo.decoding_cost import decoding_budget, decoding_cost
from moodtune.emotion_engines.photo.shrinking import fit, shrunk_rgb
from moodtune.emotion_engines.reading import Note
from moodtune.errors import InputError

ACCEPTED_FORMATS: Final = ("JPEG", "PNG", "WEBP", "GIF")  # JPEG includes MPO (phone multi-picture)
WORKING_PIXELS: Final = 1_000_000  # face crops and the scene are read at about 1 megapixel
_NOT_AN_IMAGE: Final = Note(
    "input_photo_not_an_image", "This file is not an image I can read (JPEG, PNG, WebP or GIF)."
)
_DAMAGED: Final = Note(
    "input_photo_damaged", "The picture is truncated or damaged; I could not decode it."
)

BIG_PICTURE_BYTES: Final = 64 * 1024 * 1024  # after decoding this much, memory is given back

# EXIF orientation → how to turn the stored picture upright (the EXIF specification's table).
_UPRIGHT: Final = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ROTATED: Final = {5, 6, 7, 8}  # orientations that swap width and height


class PhotoInputError(InputError):
    """Photo bytes the engine cannot use; the message is a sentence for the person."""


@dataclass(frozen=True, slots=True)
class DecodedPhoto:
    """The picture as upright RGB at working size, and what it was before shrinking."""

    pixels: np.ndarray  # height × width × 3, uint8
    original_size: tuple[int, int]  # (width, height) upright, as the person sees it
    format: str
    animated: bool = False

    @property
    def scale(self) -> float:
        """Working pixels per original pixel (≤ 1)."""
        return self.pixels.shape[1] / self.original_size[0]


def decode_photo(
    data: bytes | bytearray | memoryview,
    *,
    max_bytes: int,
    max_pixels: int,
    working_pixels: int = WORKING_PIXELS,
) -> DecodedPhoto:
    """Decode the first frame, upright and in RGB; PhotoInputError for anything unusable."""
    data = _checked_bytes(data, max_bytes)
    image = _open(data, max_pixels)
    cost = 0
    try:
        width, height = image.size
        cost, limit = _affordable(image, max_pixels, working_pixels)
        # Closed explicitly (leaving `with` keeps the pixels), before others may decode.
        with DECODING.holding(cost, limit), closing(image):
            _load(image)
            orientation = _orientation(image)
            small = shrunk_rgb(image, fit(*image.size, working_pixels))
            if orientation in _UPRIGHT:
                small = small.transpose(_UPRIGHT[orientation])
            pixels = np.asarray(small, dtype=np.uint8)
            photo_format, animated = image.format or "", _is_animated(image)
    finally:
        image.close()
        if cost >= BIG_PICTURE_BYTES:  # decoded (or damaged half-way): glibc keeps its pages
            return_freed_memory()
    if orientation in _ROTATED:
        width, height = height, width
    return DecodedPhoto(pixels, (width, height), photo_format, animated)


def _checked_bytes(data: object, max_bytes: int) -> bytes:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise PhotoInputError(
            Note(
                "input_photo_not_bytes",
                f"A photo must arrive as bytes, not as {type(data).__name__}.",
                kind=type(data).__name__,
            )
        )
    data = bytes(data)
    if not data:
        raise PhotoInputError(
            Note("input_photo_empty", "The file is empty; send a photo (JPEG, PNG or WebP).")
        )
    if len(data) > max_bytes:
        size, limit = _size(len(data)), _size(max_bytes)
        raise PhotoInputError(
            Note(
                "input_photo_too_big",
                f"The file is {size}; the limit is {limit}.",
                size=size,
                limit=limit,
            )
        )
    return data


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Read the header only, and refuse a picture with too many pixels before decoding it."""
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError as error:
        # Pillow's own guard (2 × Image.MAX_IMAGE_PIXELS) fired before our check could.
        guard = 2 * (Image.MAX_IMAGE_PIXELS or max_pixels)
        pixels, limit = f"{guard:,}", f"{min(guard, max_pixels):,}"
        raise PhotoInputError(
            Note(
                "input_photo_over_pillow_guard",
                f"The picture has more than {pixels} pixels; the limit is {limit} pixels.",
                pixels=pixels,
                limit=limit,
            )
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise PhotoInputError(_NOT_AN_IMAGE) from error
    width, height = image.size
    if width < 1 or height < 1:
        image.close()
        raise PhotoInputError(_NOT_AN_IMAGE)
    if width * height > max_pixels:
        image.close()
        size, limit = f"{width:,} × {height:,}", f"{max_pixels:,}"
        raise PhotoInputError(
            Note(
                "input_photo_too_many_pixels",
                f"The picture is {size} pixels; the limit is {limit} pixels.",
                size=size,
                limit=limit,
            )
        )
    return image


def _affordable(image: Image.Image, max_pixels: int, working_pixels: int) -> tuple[int, int]:
    """The bytes decoding will cost (a big JPEG decoded at a reduced scale) and the limit:
    what the largest picture within ``max_pixels`` costs; PhotoInputError beyond it."""
    declared = image.size
    try:  # JPEG only: decode at 1/2, 1/4 or 1/8 scale, keeping half the working pixels
        image.draft("RGB", fit(*declared, working_pixels // 2))
    except Exception as error:  # any decoder failure means a damaged file, not a bug here
        raise PhotoInputError(_DAMAGED) from error
    cost = decoding_cost(image, declared, working_pixels)
    budget = decoding_budget(max_pixels, working_pixels)
    if cost > budget:
        size, memory, limit = f"{declared[0]:,} × {declared[1]:,}", _size(cost), _size(budget)
        raise PhotoInputError(
            Note(
                "input_photo_too_costly",
                f"The picture is {size} pixels; decoding it would take {memory} of memory, "
                f"and the limit is {limit}.",
                size=size,
                memory=memory,
                limit=limit,
            )
        )
    return cost, budget


def _load(image: Image.Image) -> None:
    try:
        image.load()
    except Exception as error:  # any decoder failure means a damaged file, not a bug here
        reason = f"{type(error).__name__}: {error}"
    else:
        return
    # Raised outside the handler, so the error and its chain (whose frames hold Pillow's
    # decoder, and the decoded frame with it) are gone before the picture is closed.
    damaged = PhotoInputError(_DAMAGED)
    damaged.add_note(f"Pillow said {reason}")
    raise damaged


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1: stored upright); a broken EXIF block should not cost the
    picture itself."""
    try:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:
        return 1
    return orientation if orientation in _UPRIGHT else 1


def _is_animated(image: Image.Image) -> bool:
    """Only the first frame is read; an unreadable second frame just means 'not animated'."""
    try:
        return bool(getattr(image, "is_animated", False))
    except Exception:
        return False


def _size(size: int) -> str:
    if size >= 1_048_576:
        return f"{size / 1_048_576:.1f} MB"
    return f"{size // 1024} KB" if size >= 10_240 else f"{size} bytes"
