"""One message, several readings (caption + photo, voice + transcript, an album): one mood.

Each reading weighs confidence × modality weight; the fused vector is the weighted mean of
the readings' vectors. Readings are independent pieces of evidence, so the combined
confidence is their noisy-or, 1 − Π(1 − confidence), capped below certainty. Faces inside
a photo are already weighed by area share × confidence by the photo engine
(`photo.combine.photo_reading`); an album is several photo readings, fused like any others.

Fusion is also the boundary where engines' output is checked: a reading with NaN, negative
or unnormalised values (or something that is no Reading at all) is dropped and logged, so
one broken engine cannot poison a mood. When nothing with signal is left the result is an
empty reading whose note says why; the handlers then offer the 7 groups to choose from.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from numbers import Real

import numpy as np

from moodtune.emotion import DIM, EmotionVector, describe
from moodtune.emotion_engines.reading import Evidence, Note, Reading

log = logging.getLogger(__name__)
MAX_CONFIDENCE = 0.95
NO_MOOD_NOTE = Note("fusion_no_mood", "no feeling could be read")
SUM_TOLERANCE = 1e-6
MODALITY_NAMES_ZH = {"text": "文字", "photo": "照片", "voice": "语音"}


class FusionError(ValueError):
    """Modality weights that are not finite, non-negative numbers."""


def problem_with(reading: object) -> str:
    """Why a reading breaks the rules, or "" when it keeps them (engines may hand anything)."""
    if not isinstance(reading, Reading):
        return f"expected a Reading, got {type(reading).__name__}"
    if not isinstance(reading.vector, EmotionVector):
        return f"its vector is a {type(reading.vector).__name__}, not an EmotionVector"
    values = np.asarray(reading.vector.values)
    if values.shape != (DIM,) or not np.issubdtype(values.dtype, np.number):
        return f"its vector has shape {values.shape}, not ({DIM},)"
    lowest = float(values.min())
    if lowest < 0:
        return "its vector holds negative values"
    total = float(values.sum())  # NaN anywhere made `lowest` NaN, and so this too
    if not math.isfinite(total):
        return "its vector holds NaN or infinite values"
    if total > 0 and abs(total - 1.0) > SUM_TOLERANCE:
        return f"its vector sums to {total:g}, not 1"
    confidence = reading.confidence
    if not isinstance(confidence, Real) or not 0.0 <= float(confidence) <= 1.0:
        return f"its confidence {confidence!r} is not within 0..1"
    if confidence > 0 and total == 0:
        return "it claims confidence without a vector"
    return ""


def checked(readings: Iterable[object]) -> list[Reading]:
    """The readings that keep the rules; each one that does not is logged and left out."""
    kept: list[Reading] = []
    for reading in readings:
        problem = problem_with(reading)
        if problem:
            source = getattr(reading, "engine", "") or "an unknown engine"
            modality = getattr(reading, "modality", "?")
            log.warning("dropping an invalid %s reading from %s: %s", modality, source, problem)
        else:
            kept.append(reading)  # type: ignore[arg-type]  # problem_with checked the type
    return kept


def _check_weights(modality_weights: Mapping[str, float]) -> None:
    for modality, weight in modality_weights.items():
        if not isinstance(weight, Real) or not math.isfinite(weight) or weight < 0:
            raise FusionError(
                f"the weight of the {modality} modality must be a number ≥ 0, got {weight!r}"
            )


def fuse(readings: Iterable[object], modality_weights: Mapping[str, float]) -> Reading:
    """The weighted mean of the valid readings with signal; an empty reading when none has any.

    Modalities missing from `modality_weights` weigh 1. The evidence holds one entry per
    modality (label = modality, weight = its share of the mood), the parts every valid reading.
    """
    _check_weights(modality_weights)
    valid = checked(readings)
    weighted = [(r, r.confidence * modality_weights.get(r.modality, 1.0)) for r in valid]
    weighted = [(r, w) for r, w in weighted if w > 0]
    if not weighted:
        note = Note.join(r.note for r in valid) or NO_MOOD_NOTE
        return Reading(EmotionVector.zero(), 0.0, (), "fused", "fusion", tuple(valid), note)
    total = sum(w for _, w in weighted)
    values = np.zeros(DIM)
    for reading, weight in weighted:
        values += reading.vector.values * (weight / total)
    confidence = 1.0 - math.prod(1.0 - r.confidence for r, _ in weighted)
    return Reading(
        EmotionVector(values),
        min(MAX_CONFIDENCE, confidence),
        _contributions(weighted, total),
        "fused",
        "fusion",
        tuple(valid),
    )


def _contributions(weighted: list[tuple[Reading, float]], total: float) -> tuple[Evidence, ...]:
    """What each modality added: its share of the mood and its strongest categories."""
    by_modality: dict[str, list[tuple[Reading, float]]] = {}
    for reading, weight in weighted:
        by_modality.setdefault(reading.modality, []).append((reading, weight))
    evidence = []
    for modality, members in by_modality.items():
        share = sum(w for _, w in members) / total
        mixed = EmotionVector(sum((r.vector.values * w for r, w in members), np.zeros(DIM)))
        detail = {
            "readings": len(members),
            "engines": sorted({r.engine for r, _ in members if r.engine}),
            "confidence": round(max(r.confidence for r, _ in members), 4),
        }
        top = tuple(code for code, _ in mixed.top(3))
        evidence.append(Evidence(modality, share, top, detail))
    return tuple(sorted(evidence, key=lambda e: -e.weight))


def explain(fused: Reading, language: str = "en") -> str:
    """One line on what each modality contributed, e.g. 'text 62% (joy) · photo 38% (sorrow)'."""
    zh = language.startswith("zh")
    parts = []
    for part in fused.evidence:
        name = MODALITY_NAMES_ZH.get(part.label, part.label) if zh else part.label
        strongest = f" ({describe(part.categories[0], language)})" if part.categories else ""
        parts.append(f"{name} {part.weight:.0%}{strongest}")
    return " · ".join(parts)
