"""What an engine returns: a vector, how much it should count, and why."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from moodtune.emotion import EmotionVector


class ReadingError(ValueError):
    """A reading that breaks the rules (confidence outside 0..1, signal without a vector)."""


@dataclass(frozen=True, slots=True)
class NotePart:
    """One remark in a note: a stable code, its English text, and the values it names."""

    code: str  # e.g. "photo_no_face"; "" for a remark without one
    text: str
    values: Mapping[str, object] = field(default_factory=dict)


class Note(str):
    """An engine's note on a reading: English text, what the CLI prints and logs keep, that
    also carries a stable code per remark (and the values it names), so the handlers can
    say it in the person's own language. A plain string still works as a note; it just
    has no code. Notes joined with ``Note.join`` keep every part's code."""

    parts: tuple[NotePart, ...]

    def __new__(cls, code: str, text: str, **values: object) -> Note:
        return _note(text, (NotePart(code, text, values),))

    @staticmethod
    def join(notes: Iterable[str], separator: str = "; ") -> Note:
        """The non-empty notes, each once, in one note."""
        kept = list(dict.fromkeys(note for note in notes if note))
        return _note(
            separator.join(kept), tuple(part for note in kept for part in note_parts(note))
        )

    def __reduce__(self) -> tuple[object, ...]:  # pickled as text and parts, not as a code
        return _note, (str(self), self.parts)


def _note(text: str, parts: tuple[NotePart, ...]) -> Note:
    note = str.__new__(Note, text)
    note.parts = parts
    return note


def note_parts(note: str) -> tuple[NotePart, ...]:
    """A note's remarks, each with its code; a plain string is one remark without a code."""
    if isinstance(note, Note):
        return note.parts
    return (NotePart("", note),) if note else ()


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
            **({"note": str(self.note)} if self.note else {}),
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
