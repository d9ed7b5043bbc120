"""The photo engine: decode → faces → expressions → scene → one Reading."""

from __future__ import annotations

import numpy as np

from moodtune.config import Settings, get_settings
from moodtune.emotion_engines.engine import run_blocking
from moodtune.emotion_engines.photo.combine import FIRST_FRAME, face_part, photo_reading
from moodtune.emotion_engines.photo.decoding import decode_photo
from moodtune.emotion_engines.photo.expression import ExpressionReader, SmileReader
from moodtune.emotion_engines.photo.expression_model import ModelExpressionReader
from moodtune.emotion_engines.photo.faces import (
    Box,
    Face,
    FaceDetector,
    build_face_detector,
    scale_box,
)
from moodtune.emotion_engines.photo.scene import scene_reading
from moodtune.emotion_engines.reading import Reading


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
        expressions = self.expression.read([_crop(photo.pixels, f.box) for f in found])
        total_area = sum(face.area for face in found)
        faces = [
            face_part(_upscaled(face, photo.scale, photo.original_size), face.area / total_area, e)
            for face, e in zip(found, expressions, strict=True)
        ]
        remark = FIRST_FRAME if photo.animated else ""
        engine = f"{self.detector.name}+{self.expression.name}"
        return photo_reading(faces, scene_reading(photo.pixels), engine=engine, remark=remark)


def build_photo_engine(settings: Settings | None = None) -> PhotoEngine:
    """The engine the settings ask for: YuNet or Haar faces, a model or the smile cue."""
    settings = settings or get_settings()
    smile = SmileReader()
    expression: ExpressionReader = (
        ModelExpressionReader(settings.photo_model, smile) if settings.photo_model else smile
    )
    return PhotoEngine(
        build_face_detector(settings.yunet_model),
        expression,
        max_bytes=settings.max_photo_bytes,
        max_pixels=settings.max_photo_pixels,
        workers=settings.analysis_workers,
    )


def _crop(pixels: np.ndarray, box: Box) -> np.ndarray:
    x, y, w, h = box
    return np.ascontiguousarray(pixels[y : y + h, x : x + w])


def _upscaled(face: Face, scale: float, original_size: tuple[int, int]) -> Face:
    """The face box in the original picture's pixels (the person's coordinates)."""
    width, height = original_size
    return Face(scale_box(face.box, scale, (height, width)), face.confidence)
