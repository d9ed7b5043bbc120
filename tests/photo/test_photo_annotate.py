"""Drawing a reading onto its photo (`moodtune analyze --photo P --annotate OUT.png`)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from photo_samples import encode
from PIL import Image

from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.photo import PhotoEngine, PhotoInputError, annotate_photo
from moodtune.emotion_engines.photo.annotate import POSITIVE, UNREAD
from moodtune.emotion_engines.reading import Evidence, Reading


def png_pixels(data: bytes) -> np.ndarray:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_the_face_box_is_drawn_in_the_colour_of_its_mood(
    engine: PhotoEngine, astronaut_jpeg: bytes
) -> None:
    reading = engine.analyze_sync(astronaut_jpeg)
    pixels = png_pixels(annotate_photo(astronaut_jpeg, reading))
    assert pixels.shape[1] == 512 and pixels.shape[0] > 512  # a band of text below
    x, y, w, h = reading.evidence[0].detail["box"]
    left_edge = pixels[y + h // 2, x]
    bottom_edge = pixels[y + h - 1, x + w // 2]
    assert tuple(left_edge) == POSITIVE and tuple(bottom_edge) == POSITIVE
    band = pixels[515:]
    assert (band > 200).any()  # the text lines


def test_a_big_photo_is_annotated_at_working_size(engine: PhotoEngine) -> None:
    big = encode(Image.new("RGB", (4000, 3000), (30, 120, 200)), "JPEG")
    reading = engine.analyze_sync(big)
    pixels = png_pixels(annotate_photo(big, reading))
    width = pixels.shape[1]
    assert width * width * 3 / 4 <= 1_000_000  # the picture part keeps the 4:3 shape


def test_a_photo_without_faces_gets_only_the_band(
    engine: PhotoEngine, landscape_jpegs: dict[str, bytes]
) -> None:
    data = landscape_jpegs["china"]
    pixels = png_pixels(annotate_photo(data, engine.analyze_sync(data)))
    assert pixels.shape[:2][1] == 640 and pixels.shape[0] > 427
    assert not (pixels[:427] == POSITIVE).all(axis=-1).any()


def test_faces_without_a_reading_are_drawn_grey_and_odd_evidence_is_listed() -> None:
    data = encode(Image.new("RGB", (200, 100), "white"), "PNG")
    reading = Reading(
        EmotionVector.from_scores({"NB": 1.0}),
        0.4,
        (
            Evidence("face 1: no expression read", 0.0, (), {"box": [10, 10, 40, 40]}),
            Evidence("a label with no box", 0.5, ("NB",), {"box": "nonsense"}),
            Evidence("another", 0.5, ("NB",)),
        ),
        "photo",
    )
    pixels = png_pixels(annotate_photo(data, reading))
    assert tuple(pixels[30, 10]) == UNREAD
    assert pixels.shape[0] > 100 + 3 * 10  # the headline and two listed entries


def test_unreadable_bytes_cannot_be_annotated() -> None:
    with pytest.raises(PhotoInputError):
        annotate_photo(b"not a photo", Reading.empty("photo", "test"))
