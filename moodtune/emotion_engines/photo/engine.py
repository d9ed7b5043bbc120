"""The photo engine: decode → faces → expressions → scene → one Reading.

Which models answer, best first: faces by a configured YuNet, else CenterFace (bundled),
else Haar cascades; expressions by a configured Hugging Face model, else the FER-2013
mini-Xception (bundled), else the smile cue. A bundled model whose package is missing or
whose file is broken is logged once, and the next one answers.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Final

import numpy as np

from moodtune.config import Settings, get_settings
from moodtune.emotion_engines.bundled import CENTERFACE, FER_MINI_XCEPTION, Weights
from moodtune.emotion_engines.engine import run_blocking
from moodtune.emotion_engines.photo.centerface import centerface_detector
from moodtune.emotion_engines.photo.combine import FIRST_FRAME, face_part, photo_reading
from moodtune.emotion_engines.photo.decoding import decode_photo
from moodtune.emotion_engines.photo.expression import ExpressionReader, SmileReader
from moodtune.emotion_engines.photo.expression_model import model_expression_reader
from moodtune.emotion_engines.photo.faces import (
    Box,
    Face,
    FaceDetector,
    HaarFaceDetector,
    build_face_detector,
    scale_box,
)
from moodtune.emotion_engines.photo.fer_expression import fer_expression_reader
from moodtune.emotion_engines.photo.scene import scene_reading
from moodtune.emotion_engines.reading import Evidence, Note, Reading

MAX_FACES_READ: Final = 20  # a crowd: the 20 largest faces say enough about the room
CROP_MARGIN: Final = 0.25  # face crops: a square 25 % wider than the box, as FER-2013 framed


class PhotoEngine:
    """``await engine.analyze(photo_bytes) -> Reading``; PhotoInputError for unusable bytes."""

    name = "photo"
    modality = "photo"

    def __init__(
        self,
        detector: FaceDetector,
        expression: ExpressionReader,
        *,
        max_bytes: int,
        max_pixels: int,
        workers: int = 2,
    ) -> None:
        self.detector = detector
        self.expression = expression
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self._workers = workers

    async def analyze(self, data: bytes) -> Reading:
        return await run_blocking(self.analyze_sync, data, workers=self._workers)

    def analyze_sync(self, data: bytes) -> Reading:
        photo = decode_photo(data, max_bytes=self.max_bytes, max_pixels=self.max_pixels)
        found = self.detector.detect(photo.pixels)
        read = found[:MAX_FACES_READ]
        expressions = self.expression.read([face_crop(photo.pixels, f.box) for f in read])
        total_area = sum(face.area for face in read)
        faces = [
            face_part(_upscaled(face, photo.scale, photo.original_size), face.area / total_area, e)
            for face, e in zip(read, expressions, strict=True)
        ]
        remarks: list[str] = []
        extra: list[Evidence] = []
        if len(found) > len(read):
            crowd = Note("photo_crowd", f"{len(found)} faces found, the {len(read)} largest read",
                         found=len(found), read=len(read))  # fmt: skip
            remarks.append(crowd)
            extra.append(Evidence(str(crowd), 0.0, (), {"found": len(found), "read": len(read)}))
        if photo.animated:
            remarks.append(FIRST_FRAME)
        engine = f"{self.detector.name}+{self.expression.name}"
        reading = photo_reading(
            faces, scene_reading(photo.pixels), engine=engine, remark=Note.join(remarks)
        )
        if extra:
            reading = replace(reading, evidence=(*reading.evidence, *extra))
        return reading


def build_photo_engine(
    settings: Settings | None = None,
    detector_weights: Weights = CENTERFACE,
    expression_weights: Weights = FER_MINI_XCEPTION,
) -> PhotoEngine:
    """The engine the settings ask for (see the module docstring for the order)."""
    settings = settings or get_settings()
    return PhotoEngine(
        _detector(settings, detector_weights),
        _expression(settings, expression_weights),
        max_bytes=settings.max_photo_bytes,
        max_pixels=settings.max_photo_pixels,
        workers=settings.analysis_workers,
    )


def _detector(settings: Settings, weights: Weights) -> FaceDetector:
    """A configured YuNet, else CenterFace, else Haar; each the next one's fallback."""
    detector: FaceDetector = HaarFaceDetector()
    if settings.bundled_models:
        detector = centerface_detector(weights, detector)
    if settings.yunet_model:
        detector = build_face_detector(settings.yunet_model, detector)
    return detector


def _expression(settings: Settings, weights: Weights) -> ExpressionReader:
    """A configured model, else the FER-2013 mini-Xception, else the smile cue."""
    reader: ExpressionReader = SmileReader()
    if settings.bundled_models:
        reader = fer_expression_reader(weights, reader)
    if settings.photo_model:
        reader = model_expression_reader(settings.photo_model, reader)
    return reader


def face_crop(pixels: np.ndarray, box: Box) -> np.ndarray:
    """A square around the face, CROP_MARGIN wider than its box, cut at the picture's edges."""
    x, y, w, h = box
    side = max(w, h) * (1 + CROP_MARGIN)
    centre_x, centre_y = x + w / 2, y + h / 2
    left, top = max(0, math.floor(centre_x - side / 2)), max(0, math.floor(centre_y - side / 2))
    right = min(pixels.shape[1], math.ceil(centre_x + side / 2))
    bottom = min(pixels.shape[0], math.ceil(centre_y + side / 2))
    return np.ascontiguousarray(pixels[top:bottom, left:right])


def _upscaled(face: Face, scale: float, original_size: tuple[int, int]) -> Face:
    """The face box in the original picture's pixels (the person's coordinates)."""
    width, height = original_size
    return Face(scale_box(face.box, scale, (height, width)), face.confidence)
