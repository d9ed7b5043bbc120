"""Photo bytes → an RGB array, with every limit checked before the pixels are decoded.

Chat platforms deliver JPEG, PNG and WebP (and sometimes GIF). Pillow's ``Image.open``
reads only the header, so the byte size, format and pixel count are checked before
``load()``: a decompression bomb is refused while it is still a few bytes. (Pillow's own
process-wide guard, ``Image.MAX_IMAGE_PIXELS``, is left alone; it only fires far above
our limit, and is then reported the same way.) Big JPEGs are
decoded at a reduced scale (``draft``: the DCT does the downscaling for free), so a
12-megapixel phone photo costs about as much as a 1-megapixel one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Final

import numpy as np
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from moodtune.errors import InputError

ACCEPTED_FORMATS: Final = ("JPEG", "PNG", "WEBP", "GIF")  # JPEG includes MPO (phone multi-picture)
WORKING_PIXELS: Final = 1_000_000  # face crops and the scene are read at about 1 megapixel
_ROTATED: Final = {5, 6, 7, 8}  # EXIF orientations that swap width and height
_NOT_AN_IMAGE: Final = "This file is not an image I can read (JPEG, PNG, WebP or GIF)."


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
    with image:
        width, height = image.size
        try:
            # JPEG only: decode at 1/2, 1/4 or 1/8 scale, keeping half the working pixels.
            image.draft("RGB", _fit(width, height, working_pixels // 2))
            image.load()
        except Exception as error:  # any decoder failure means a damaged file, not a bug here
            raise PhotoInputError(
                "The picture is truncated or damaged; I could not decode it."
            ) from error
        upright, turned = _upright(image)
        rgb = _to_rgb(upright)
        animated = _is_animated(image)
    if turned:
        width, height = height, width
    rgb = _shrink(rgb, _fit(width, height, working_pixels))
    return DecodedPhoto(np.asarray(rgb, dtype=np.uint8), (width, height), image.format, animated)


def _checked_bytes(data: object, max_bytes: int) -> bytes:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise PhotoInputError(f"A photo must arrive as bytes, not as {type(data).__name__}.")
    data = bytes(data)
    if not data:
        raise PhotoInputError("The file is empty; send a photo (JPEG, PNG or WebP).")
    if len(data) > max_bytes:
        raise PhotoInputError(f"The file is {_size(len(data))}; the limit is {_size(max_bytes)}.")
    return data


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Read the header only, and refuse a picture with too many pixels before decoding it."""
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError as error:
        # Pillow's own guard (2 × Image.MAX_IMAGE_PIXELS) fired before our check could.
        guard = 2 * (Image.MAX_IMAGE_PIXELS or max_pixels)
        raise PhotoInputError(
            f"The picture has more than {guard:,} pixels; "
            f"the limit is {min(guard, max_pixels):,} pixels."
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise PhotoInputError(_NOT_AN_IMAGE) from error
    width, height = image.size
    if width < 1 or height < 1:
        image.close()
        raise PhotoInputError(_NOT_AN_IMAGE)
    if width * height > max_pixels:
        image.close()
        raise PhotoInputError(
            f"The picture is {width:,} × {height:,} pixels; the limit is {max_pixels:,} pixels."
        )
    return image


def _upright(image: Image.Image) -> tuple[Image.Image, bool]:
    """The picture as the person sees it, and whether width and height swapped."""
    try:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        return ImageOps.exif_transpose(image), orientation in _ROTATED
    except Exception:  # a broken EXIF block should not cost the picture itself
        return image, False


def _fit(width: int, height: int, pixels: int) -> tuple[int, int]:
    """The size with the same shape and at most ``pixels`` pixels (never larger)."""
    factor = min(1.0, (pixels / (width * height)) ** 0.5)
    return max(1, round(width * factor)), max(1, round(height * factor))


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any mode to RGB: CMYK and palettes convert; transparency lies on white, as chats show it."""
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        wide = np.asarray(image, dtype=np.float64)
        grey = np.clip(wide / 257.0, 0, 255).astype(np.uint8)  # 16-bit range to 8-bit
        return Image.fromarray(grey, "L").convert("RGB")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def _shrink(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size[0] <= size[0] and image.size[1] <= size[1]:
        return image
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


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
