"""Finding faces: what every detector shares, Haar cascades (the fallback) and YuNet.

The default detector is CenterFace (centerface.py) when its weights are installed; YuNet
when its model file is configured; Haar cascades otherwise. Haar detection runs on a small
copy of the picture (about 0.16 megapixels): a cascade's cost grows with (picture side /
smallest face)², so a fixed detection size keeps a 12-megapixel photo as cheap as a small
one. The smallest face it finds is then about 5 % of the long side, enough for selfies and
small groups; boxes come back in the caller's pixels.
"""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

import cv2
import numpy as np

from moodtune.emotion_engines.lazy import WithFallback, warn_once
from moodtune.emotion_engines.photo.cascades import load_cascade

log = logging.getLogger(__name__)

DETECTION_PIXELS: Final = 160_000
MIN_FACE: Final = 24  # pixels at detection size: the Haar cascade's own window
MIN_DETECTION_CONFIDENCE: Final = 0.2
# The frontal-face cascade's final-stage sum: clear faces score about 3-8, faces near the
# smallest size about 2, false alarms that survive grouping mostly below 1.5. A logistic
# around 3 maps that onto 0..1; below 0.2 (a sum under 1.6) a detection is dropped.
HAAR_WEIGHT_MIDPOINT: Final = 3.0

Box = tuple[int, int, int, int]  # x, y, width, height


@dataclass(frozen=True, slots=True)
class Face:
    box: Box
    confidence: float  # how sure the detector is that this is a face, 0..1

    @property
    def area(self) -> int:
        return self.box[2] * self.box[3]


class FaceDetector(Protocol):
    name: str

    def detect(self, rgb: np.ndarray) -> list[Face]:
        """Faces in an RGB picture, largest first, boxes in its pixels."""
        ...


class HaarFaceDetector:
    name = "haar"

    def __init__(
        self,
        detection_pixels: int = DETECTION_PIXELS,
        scale_factor: float = 1.2,
        min_neighbors: int = 4,
    ) -> None:
        self._cascade = load_cascade("haarcascade_frontalface_default.xml")
        self._detection_pixels = detection_pixels
        self._scale_factor = scale_factor
        self._min_neighbors = min_neighbors

    def detect(self, rgb: np.ndarray) -> list[Face]:
        # No histogram equalisation: the cascade normalises each window's contrast itself,
        # and a global stretch hides faces on flat backgrounds.
        grey, factor = downscale(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), self._detection_pixels)
        if min(grey.shape) < MIN_FACE:
            return []
        found = self._cascade.detect(
            grey,
            scale_factor=self._scale_factor,
            min_neighbors=self._min_neighbors,
            min_size=(MIN_FACE, MIN_FACE),
        )
        faces = [
            Face(scale_box(box, factor, rgb.shape), _squash(weight - HAAR_WEIGHT_MIDPOINT))
            for box, weight in found
        ]
        return strongest(faces)


class YuNetFaceDetector:
    """OpenCV's YuNet CNN (a small .onnx file): better on turned and small faces than Haar."""

    name = "yunet"

    def __init__(
        self, model: Path, detection_pixels: int = DETECTION_PIXELS, threshold: float = 0.6
    ) -> None:
        self._net = cv2.FaceDetectorYN.create(str(model), "", (320, 320), threshold, 0.3, 100)
        self._detection_pixels = detection_pixels
        self._lock = threading.Lock()  # setInputSize changes the net's state

    def detect(self, rgb: np.ndarray) -> list[Face]:
        small, factor = downscale(rgb, self._detection_pixels)
        bgr = cv2.cvtColor(small, cv2.COLOR_RGB2BGR)
        with self._lock:
            self._net.setInputSize((bgr.shape[1], bgr.shape[0]))
            _, rows = self._net.detect(bgr)
        if rows is None:
            return []
        faces = [
            Face(scale_box(tuple(int(v) for v in row[:4]), factor, rgb.shape), float(row[14]))
            for row in rows
        ]
        return strongest(faces)


class ModelFaceDetector(WithFallback[FaceDetector]):
    """A model-backed detector loaded on first use; ``fallback`` answers when it cannot
    load or fails on a picture."""

    def detect(self, rgb: np.ndarray) -> list[Face]:
        return self.answer(lambda detector: detector.detect(rgb))


def build_face_detector(
    yunet_model: Path | None = None, fallback: FaceDetector | None = None
) -> FaceDetector:
    """YuNet when its model file is configured and loads; ``fallback`` (Haar unless given)
    otherwise, said once."""
    fallback = fallback or HaarFaceDetector()
    if yunet_model is None:
        return fallback
    if not Path(yunet_model).is_file():
        warn_once(
            log,
            f"yunet-missing:{yunet_model}",
            "YuNet model %s does not exist; detecting faces with %s instead",
            yunet_model,
            fallback.name,
        )
        return fallback
    try:
        return YuNetFaceDetector(Path(yunet_model))
    except cv2.error as error:
        warn_once(
            log,
            f"yunet-broken:{yunet_model}",
            "YuNet model %s could not be loaded (%s); detecting faces with %s instead",
            yunet_model,
            str(error).strip().splitlines()[-1],
            fallback.name,
        )
        return fallback


def downscale(picture: np.ndarray, pixels: int) -> tuple[np.ndarray, float]:
    """A copy with at most ``pixels`` pixels, and its size relative to the input (≤ 1)."""
    height, width = picture.shape[:2]
    factor = min(1.0, math.sqrt(pixels / (width * height)))
    if factor == 1.0:
        return picture, 1.0
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return cv2.resize(picture, size, interpolation=cv2.INTER_AREA), factor


def scale_box(box: Box, factor: float, shape: tuple[int, ...]) -> Box:
    """A box found at ``factor`` × size, back in the full picture's pixels, inside it."""
    height, width = shape[:2]
    x, y, w, h = (v / factor for v in box)
    left, top = max(0, round(x)), max(0, round(y))
    right, bottom = min(width, round(x + w)), min(height, round(y + h))
    return left, top, max(0, right - left), max(0, bottom - top)


def _squash(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


def strongest(faces: list[Face]) -> list[Face]:
    """The faces sure enough to keep, largest first."""
    kept = [f for f in faces if f.confidence >= MIN_DETECTION_CONFIDENCE and f.area > 0]
    return sorted(kept, key=lambda f: f.area, reverse=True)
