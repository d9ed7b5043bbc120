"""A track's emotion vector from what people wrote about it, weighted by popularity.

The starting point is a published weighting (S = the track's total comment likes):

    comment  log10(1.01 + likes)      lyrics  log10(2.01 + 10·S)      title  log10(2.01 + 20·S)

so a popular track's own words outweigh any single comment, and a liked comment outweighs
an ignored one. moodtune changes three things, each for a reason:

1. Each text's weight is multiplied by its reading's confidence. Otherwise one faint cue
   in a title (weight log10(2.01 + 20·S), large for a popular track) outvotes dozens of
   clearly emotional comments; a text with no signal at all ("first!") counts for nothing.
2. Only the MAX_COMMENTS most-liked comments are read. With log weights, the long tail of
   unliked comments adds almost nothing (log10(1.01) ≈ 0.004) yet costs as much time each;
   S still counts every like, since it measures popularity, not text.
3. Mood tags (moodtune.catalog.mood_tags) count like the title: they are curated words
   about the feel of the track, and the only text the bundled demo catalog has.

Texts longer than the text engine's limit (lyrics, mostly) are read in line-aligned chunks,
each weighed by its share of the text. When no text carries any signal, valence and energy (energy ≈
arousal; both mapped from 0..1 to -1..1) place the track on the circumplex instead. A
track with neither gets the zero vector and is not recommendable.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from moodtune.catalog import mood_tags
from moodtune.catalog.schema import TrackRecord
from moodtune.emotion import DIM, EmotionVector
from moodtune.emotion_engines.reading import Reading

MAX_COMMENTS = 20
DEFAULT_CHUNK_CHARS = 4000

Source = Literal["text", "valence_energy", "none"]


class TextAnalyzer(Protocol):
    """What the annotator needs from the text engine: a fast synchronous reading."""

    def analyze_sync(self, text: str) -> Reading: ...


@dataclass(frozen=True, slots=True)
class Annotation:
    vector: EmotionVector
    source: Source  # what the vector came from; "none" means the zero vector
    texts: int = 0  # how many texts (or chunks of long ones) carried signal

    @property
    def recommendable(self) -> bool:
        return not self.vector.is_zero


def reference_weights(likes: int, total_likes: int) -> tuple[float, float, float]:
    """(comment, lyrics, title) weights of the published scheme, before confidence."""
    return (
        math.log10(1.01 + likes),
        math.log10(2.01 + 10 * total_likes),
        math.log10(2.01 + 20 * total_likes),
    )


class Annotator:
    def __init__(
        self,
        text_engine: TextAnalyzer,
        max_comments: int = MAX_COMMENTS,
        chunk_chars: int | None = None,
    ) -> None:
        self.text_engine = text_engine
        self.max_comments = max_comments
        # Chunks no longer than the engine reads (engines refuse longer input).
        self.chunk_chars = chunk_chars or getattr(text_engine, "max_chars", DEFAULT_CHUNK_CHARS)

    def annotate(self, record: TrackRecord) -> Annotation:
        total = np.zeros(DIM)
        texts = 0
        for weight, scores in self._contributions(record):
            if weight > 0 and scores.any():
                total += weight * scores
                texts += 1
        if texts:
            return Annotation(EmotionVector(total / total.sum()), "text", texts)
        return _from_valence_energy(record)

    def _contributions(self, record: TrackRecord) -> Iterator[tuple[float, np.ndarray]]:
        """(weight, 21 scores summing to 1 or all zero) for every text of the track."""
        likes = sum(c.likes for c in record.comments)
        _, lyrics_weight, title_weight = reference_weights(0, likes)
        yield from self._read(record.title, title_weight)
        yield _tags(record.tags, title_weight)
        yield from self._read(record.lyrics, lyrics_weight)
        top = sorted(record.comments, key=lambda c: c.likes, reverse=True)[: self.max_comments]
        for comment in top:
            yield from self._read(comment.text, reference_weights(comment.likes, likes)[0])

    def _read(self, text: str, weight: float) -> Iterator[tuple[float, np.ndarray]]:
        """A text's reading, or its chunks' readings each weighed by its share of the text."""
        chunks = list(_chunks(text, self.chunk_chars))
        size = sum(len(c) for c in chunks)
        for chunk in chunks:
            try:
                reading = self.text_engine.analyze_sync(chunk)
            except ValueError:  # text the engine refuses (junk, binary) says nothing of mood
                continue
            yield weight * len(chunk) / size * reading.confidence, reading.vector.values


def _tags(tags: tuple[str, ...], weight: float) -> tuple[float, np.ndarray]:
    scores, matched = mood_tags.tags_vector(list(tags))
    if not matched:
        return 0.0, np.zeros(DIM)
    return weight, scores / scores.sum()


def _chunks(text: str, limit: int) -> Iterator[str]:
    """Pieces of at most `limit` characters, cut at line breaks where there are any."""
    piece = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:  # one enormous line: cut it anywhere
            if piece:
                yield piece
                piece = ""
            yield line[:limit]
            line = line[limit:]
        if len(piece) + len(line) > limit:
            yield piece
            piece = ""
        piece += line
    if piece.strip():
        yield piece


def _from_valence_energy(record: TrackRecord) -> Annotation:
    if record.valence is None and record.energy is None:
        return Annotation(EmotionVector.zero(), "none")
    valence = 0.0 if record.valence is None else 2 * record.valence - 1
    arousal = 0.0 if record.energy is None else 2 * record.energy - 1
    return Annotation(EmotionVector.from_valence_arousal(valence, arousal), "valence_energy")
