"""Reading the expression of a face crop: the reader protocol, a model with its fallback,
and the smile cue (the fallback when no expression model is installed or configured).

A Haar smile cascade can see one thing reliably: a broad smile in the lower half of a
face. A smile signals enjoyment, so it reads as joy (with some ease), at a confidence
kept honestly low because a cascade cannot tell a polite smile from a happy one. No smile
says little on its own (a straight face is not a sad face), so it reads as no signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Protocol

import cv2
import numpy as np

from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.lazy import WithFallback
from moodtune.emotion_engines.photo.cascades import load_cascade
from moodtune.emotion_engines.reading import Evidence, Reading

SMILE_CONFIDENCE: Final = 0.3
SMILE_SCORES: Final = {"PA": 0.8, "PE": 0.2}
FACE_WIDTH: Final = 96  # crops are normalised to this width so the cascade costs the same
SMILE_NEIGHBORS: Final = 20  # the smile cascade fires on any lip texture without many votes
MIN_SMILE: Final = (28, 14)  # about 30 % of the face's width


class ExpressionReader(Protocol):
    """Face crops (RGB, tight around the face) in, one Reading per crop out."""

    name: str

    def read(self, faces: Sequence[np.ndarray]) -> list[Reading]: ...


class ModelExpressionReader(WithFallback[ExpressionReader]):
    """Reads faces with a model loaded on first use; ``fallback`` answers when it cannot
    load or fails on a photo."""

    def read(self, faces: Sequence[np.ndarray]) -> list[Reading]:
        if not faces:
            return []  # no face, no reason to load a model
        return self.answer(lambda reader: reader.read(faces))


class SmileReader:
    name = "smile"

    def __init__(self) -> None:
        self._cascade = load_cascade("haarcascade_smile.xml")

    def read(self, faces: Sequence[np.ndarray]) -> list[Reading]:
        return [self._read_one(face) for face in faces]

    def _read_one(self, face: np.ndarray) -> Reading:
        engine = f"face:{self.name}"
        height, width = face.shape[:2]
        if width < 8 or height < 8:
            return Reading.empty("photo", engine, "the face is too small to read")
        size = (FACE_WIDTH, max(2, round(FACE_WIDTH * height / width)))
        grey = cv2.resize(
            cv2.cvtColor(face, cv2.COLOR_RGB2GRAY), size, interpolation=cv2.INTER_AREA
        )
        mouth = cv2.equalizeHist(grey[size[1] // 2 :])  # a smile lives in the lower half
        if mouth.shape[0] < MIN_SMILE[1]:
            return Reading.empty("photo", engine, "the face is too small to read")
        smiles = self._cascade.detect(
            mouth, scale_factor=1.1, min_neighbors=SMILE_NEIGHBORS, min_size=MIN_SMILE
        )
        if not smiles:
            return Reading.empty("photo", engine, "no smile seen; a straight face says little")
        _, stage_weight = max(smiles, key=lambda found: found[1])
        evidence = Evidence(
            "smile", 1.0, tuple(SMILE_SCORES), {"stage_weight": round(stage_weight, 3)}
        )
        vector = EmotionVector.from_scores(SMILE_SCORES)
        return Reading(vector, SMILE_CONFIDENCE, (evidence,), "photo", engine, note="a smile")
