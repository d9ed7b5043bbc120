"""One message, several readings (caption + photo, voice + transcript): one mood.

Each reading weighs confidence × modality weight; the fused vector is the weighted mean of
the readings' vectors. Readings are independent pieces of evidence, so the combined
confidence is their noisy-or, 1 − Π(1 − confidence), capped below certainty. Faces inside
a photo are already weighed by area share × confidence by the photo engine.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping

import numpy as np

from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.reading import Evidence, Reading

log = logging.getLogger(__name__)
MAX_CONFIDENCE = 0.95


def _valid(reading: Reading) -> bool:
    """Engines are trusted, not blindly: a NaN or negative vector is dropped and logged."""
    values = reading.vector.values
    ok = bool(np.all(np.isfinite(values)) and np.all(values >= 0))
    if not ok or not math.isfinite(reading.confidence):
        log.warning("dropping an invalid %s reading from %s", reading.modality, reading.engine)
        return False
    return True


def fuse(readings: Iterable[Reading], modality_weights: Mapping[str, float]) -> Reading:
    """The weighted mean of the readings with signal; Reading.empty when none has any."""
    readings = [r for r in readings if _valid(r)]
    weighted = [(r, r.confidence * modality_weights.get(r.modality, 1.0)) for r in readings]
    weighted = [(r, w) for r, w in weighted if w > 0]
    if not weighted:
        notes = "; ".join(r.note for r in readings if r.note)
        return Reading.empty("fused", "fusion", notes)
    total = sum(w for _, w in weighted)
    values = sum((r.vector.values * (w / total) for r, w in weighted), np.zeros(21))
    confidence = 1.0 - math.prod(1.0 - r.confidence for r, _ in weighted)
    evidence = tuple(
        Evidence(r.modality, w / total, tuple(c for c, _ in r.vector.top(3)), {"engine": r.engine})
        for r, w in weighted
    )
    return Reading(
        EmotionVector(values),
        min(MAX_CONFIDENCE, confidence),
        evidence,
        "fused",
        "fusion",
        tuple(readings),
    )
