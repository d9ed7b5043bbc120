"""Drawing a reading onto its photo: face boxes with labels and weights, the rest below."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Final

from PIL import Image, ImageDraw, ImageFont

from moodtune.config import get_settings
from moodtune.emotion import describe
from moodtune.emotion_engines.photo.decoding import decode_photo
from moodtune.emotion_engines.reading import Evidence, Reading

POSITIVE: Final = (46, 204, 113)
NEGATIVE: Final = (231, 76, 60)
UNREAD: Final = (189, 195, 199)
BAND: Final = (24, 24, 24)


def annotate_photo(data: bytes, reading: Reading) -> bytes:
    """PNG bytes of the photo (at most about 1 megapixel) with the reading drawn on it."""
    settings = get_settings()
    photo = decode_photo(
        data, max_bytes=settings.max_photo_bytes, max_pixels=settings.max_photo_pixels
    )
    picture = Image.fromarray(photo.pixels)
    font = ImageFont.load_default(size=max(12, min(picture.size) // 40))
    stroke = max(2, min(picture.size) // 250)
    draw = ImageDraw.Draw(picture)
    unboxed: list[Evidence] = []
    for evidence in reading.evidence:
        box = _box(evidence)
        if box is None:
            unboxed.append(evidence)
            continue
        x, y, w, h = (v * photo.scale for v in box)
        colour = _colour(evidence.categories)
        draw.rectangle((x, y, x + w, y + h), outline=colour, width=stroke)
        _label(draw, (x, y), f"{evidence.label} · weight {evidence.weight:.2f}", colour, font)
    lines = [_headline(reading), *(f"{e.label} · weight {e.weight:.2f}" for e in unboxed)]
    out = io.BytesIO()
    _with_band(picture, lines, font).save(out, "PNG")
    return out.getvalue()


def _box(evidence: Evidence) -> tuple[float, float, float, float] | None:
    box = evidence.detail.get("box") if evidence.detail else None
    if not isinstance(box, Sequence) or len(box) != 4:
        return None
    if not all(isinstance(v, int | float) for v in box):
        return None
    x, y, w, h = (float(v) for v in box)
    return (x, y, w, h)


def _colour(categories: Sequence[str]) -> tuple[int, int, int]:
    if not categories:
        return UNREAD
    return POSITIVE if categories[0].startswith("P") else NEGATIVE


def _label(
    draw: ImageDraw.ImageDraw,
    corner: tuple[float, float],
    text: str,
    colour: tuple[int, int, int],
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
) -> None:
    """Text on a filled tab above the box (inside it when the box touches the top)."""
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    width, height = right - left + 8, bottom - top + 6
    x, y = corner
    y = y - height if y >= height else y
    draw.rectangle((x, y, x + width, y + height), fill=colour)
    draw.text((x + 4 - left, y + 3 - top), text, fill=(0, 0, 0), font=font)


def _headline(reading: Reading) -> str:
    if not reading.has_signal:
        return f"no emotion read — {reading.note}" if reading.note else "no emotion read"
    moods = ", ".join(f"{describe(code)} {share:.0%}" for code, share in reading.vector.top(3))
    return f"{moods} · confidence {reading.confidence:.2f}"


def _with_band(
    picture: Image.Image, lines: list[str], font: ImageFont.FreeTypeFont | ImageFont.ImageFont
) -> Image.Image:
    """The picture with a dark band below it holding one line per entry."""
    probe = ImageDraw.Draw(picture)
    line_height = max(probe.textbbox((0, 0), "Ag", font=font)[3], 1) + 6
    canvas = Image.new("RGB", (picture.width, picture.height + line_height * len(lines) + 8), BAND)
    canvas.paste(picture, (0, 0))
    draw = ImageDraw.Draw(canvas)
    for number, line in enumerate(lines):
        draw.text(
            (6, picture.height + 4 + number * line_height), line, fill=(240, 240, 240), font=font
        )
    return canvas
