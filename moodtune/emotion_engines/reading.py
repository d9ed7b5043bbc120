"""What an engine returns: a vector, how much it should count, and why."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from moodtune.emotion import EmotionVector


class ReadingError(ValueError):
    """A reading that breaks the rules (confidence outside 0..1, signal without a vector)."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One thing that fed a reading: a word, a face, a model label, an acoustic cue."""

    label: str
    weight: float
    categories: tuple[str, ...] = ()
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reading:
    """(vector, confidence, evidence) from one engine for one input.

    Confidence 0 means "no signal"; such a reading always has the zero vector, never a
    uniform one pretending to be a mood. ``parts`` holds sub-readings (each face of a
    photo, the acoustic and the transcript reading of a voice note) for fusion and
    explanations.
    """

    vector: EmotionVector
    confidence: float
    evidence: tuple[Evidence, ...] = ()
    modality: str = "text"
    engine: str = ""
    parts: tuple[Reading, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if not math.isfinite(self.confidence) or not 0.0 <= self.confidence <= 1.0:
            raise ReadingError(f"confidence must be within 0..1, got {self.confidence!r}")
        if self.confidence > 0 and self.vector.is_zero:
            raise ReadingError("a reading with confidence > 0 needs a non-zero vector")

    @classmethod
    def empty(cls, modality: str, engine: str, note: str = "") -> Reading:
        """No signal: zero vector, zero confidence, and optionally a reason."""
        return cls(EmotionVector.zero(), 0.0, (), modality, engine, (), note)

    @property
    def has_signal(self) -> bool:
        return self.confidence > 0

    def to_dict(self, digits: int = 4) -> dict[str, Any]:
        """A JSON-ready view: vector, top emotions, confidence, evidence, parts."""
        return {
            "modality": self.modality,
            "engine": self.engine,
            "confidence": round(self.confidence, digits),
            "top": [{"category": c, "share": round(s, digits)} for c, s in self.vector.top(5)],
            "vector": self.vector.as_dict(digits),
            "evidence": [
                {
                    "label": e.label,
                    "weight": round(e.weight, digits),
                    "categories": list(e.categories),
                    **({"detail": _jsonable(e.detail)} if e.detail else {}),
                }
                for e in self.evidence
            ],
            "parts": [part.to_dict(digits) for part in self.parts],
            **({"note": self.note} if self.note else {}),
        }


def _jsonable(value: Any) -> Any:
    """numpy scalars and arrays, tuples and mappings inside evidence details, as plain JSON."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "tolist"):
        return value.tolist()
    return value
