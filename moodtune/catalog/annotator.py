"""A track's emotion vector from what people wrote about it, weighted by popularity.

The starting point is a published weighting (S = the track's total comment likes):

    comment  log10(1.01 + likes)      lyrics  log10(2.01 + 10·S)      title  log10(2.01 + 20·S)

so a popular track's own words outweigh any single comment, and a liked comment outweighs
an ignored one. moodtune changes five things, each for a reason:

1. Each text's weight is multiplied by its reading's confidence. Otherwise one faint cue
   in a title (weight log10(2.01 + 20·S), large for a popular track) outvotes dozens of
   clearly emotional comments; a text with no signal at all ("first!") counts for nothing.
2. Only the MAX_COMMENTS most-liked comments are read. With log weights, the long tail of
   unliked comments adds almost nothing (log10(1.01) ≈ 0.004) yet costs as much time each;
   S still counts every like, since it measures popularity, not text.
3. Mood tags (moodtune.catalog.mood_tags) count with the published title weight: they are
   curated words about the feel of the track, and the only text the bundled demo catalog
   has.
4. A title counts only when it carries feeling (its reading's confidence at least
   `TITLE_MIN_CONFIDENCE`: one strong feeling word or two ordinary ones), and then at
   `TITLE_SHARE` of its published weight. Titles are short and often figurative ("Black
   Dog", "Highway to Hell"); at full weight, stray words in them moved one demo track in
   twelve to another mood group than its tags say.
5. Valence and energy given in the file (energy ≈ arousal; both mapped from 0..1 to
   -1..1 and placed on the circumplex) count like the tags, whatever else the track has:
   they are a direct measure of the track's feel, so they outweigh any title. With no
   text that speaks, they alone place the track.

Texts longer than the text engine's limit (lyrics, mostly) are read in line-aligned
chunks, each weighed by its share of the text. A track with no text that speaks and no
valence or energy gets the zero vector and is not recommendable.

Speed: a catalog has ~4 texts per track, so the annotator asks the engine for its bulk
numbers (`scores_sync`: raw scores and confidence, no evidence) when it has them, and adds
21 plain floats rather than numpy arrays (numpy's per-call cost exceeds the arithmetic).
`TrackTexts` is what it reads of a record, as plain values that pickle cheaply for the
loader's worker processes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple, Protocol

import numpy as np

from moodtune.catalog import mood_tags
from moodtune.catalog.schema import TrackRecord
from moodtune.emotion import DIM, EmotionVector
from moodtune.emotion_engines.reading import Reading

MAX_COMMENTS = 20
DEFAULT_CHUNK_CHARS = 4000
TITLE_MIN_CONFIDENCE = 0.5
TITLE_SHARE = 0.5
VALENCE_ENERGY_SHARE = 1.0  # of the published title weight: as much as the tags

Source = Literal["text", "valence_energy", "none"]
Scores = tuple[list[float], float]  # 21 raw category scores (any scale, or all 0), confidence


class TextAnalyzer(Protocol):
    """What the annotator needs from the text engine: a fast synchronous reading.

    An engine may also offer `scores_sync(text) -> (21 raw scores, confidence)`, the same
    numbers without evidence (see `LexiconTextEngine.scores_sync`); the annotator uses it
    when it is there.
    """

    def analyze_sync(self, text: str) -> Reading: ...


class TrackTexts(NamedTuple):
    """What the annotator reads of a track: plain values, cheap to send to another process."""

    title: str
    tags: tuple[str, ...]
    lyrics: str
    comments: tuple[tuple[str, int], ...]  # (text, likes)
    valence: float | None
    energy: float | None

    @classmethod
    def of(cls, record: TrackRecord) -> TrackTexts:
        comments = tuple((comment.text, comment.likes) for comment in record.comments)
        return cls(record.title, record.tags, record.lyrics, comments, record.valence,
                   record.energy)  # fmt: skip


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


def scorer_of(text_engine: TextAnalyzer) -> Callable[[str], Scores]:
    """The engine's `scores_sync`, or the same numbers taken from its full reading."""
    scores_sync: Callable[[str], Scores] | None = getattr(text_engine, "scores_sync", None)
    if scores_sync is not None:
        return scores_sync

    def from_reading(text: str) -> Scores:
        reading = text_engine.analyze_sync(text)
        return reading.vector.values.tolist(), reading.confidence

    return from_reading


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
        self._scores = scorer_of(text_engine)

    def annotate(self, record: TrackRecord | TrackTexts) -> Annotation:
        track = record if isinstance(record, TrackTexts) else TrackTexts.of(record)
        total, read = self._scores_of(track)
        if read:
            return Annotation(EmotionVector.from_array(total), "text", read)
        if any(total):
            return Annotation(EmotionVector.from_array(total), "valence_energy")
        return Annotation(EmotionVector.zero(), "none")

    def vectors(self, tracks: Sequence[TrackTexts]) -> np.ndarray:
        """`annotate(track).vector` of every track, one row each, normalised all at once."""
        rows = [self._scores_of(track)[0] for track in tracks]
        matrix = np.array(rows, dtype=np.float64).reshape(len(rows), DIM)
        sums = matrix.sum(axis=1, keepdims=True)
        return np.divide(matrix, sums, out=matrix, where=sums > 0)

    def _scores_of(self, track: TrackTexts) -> tuple[list[float], int]:
        """The weighted sum of the track's texts' scores and of its valence and energy (not
        normalised; all zero when nothing speaks), and how many texts carried signal."""
        total = [0.0] * DIM  # plain floats: numpy costs more than it saves on 21 numbers
        read = 0
        for weight, scores in self._contributions(track):
            mass = sum(scores)
            if weight > 0 and mass > 0:
                share = weight / mass
                total = [t + share * s for t, s in zip(total, scores, strict=True)]
                read += 1
        title_weight = reference_weights(0, sum(likes for _, likes in track.comments))[2]
        placed = _valence_energy_vector(track)
        if placed is not None:
            weight = VALENCE_ENERGY_SHARE * title_weight
            total = [t + weight * p for t, p in zip(total, placed.values.tolist(), strict=True)]
        return total, read

    def _contributions(self, track: TrackTexts) -> Iterator[tuple[float, list[float]]]:
        """(weight, 21 raw scores) for every text of the track; weight 0 or scores all 0
        when a text says nothing."""
        likes = sum(likes for _, likes in track.comments)
        _, lyrics_weight, title_weight = reference_weights(0, likes)
        yield from self._read(track.title, TITLE_SHARE * title_weight, TITLE_MIN_CONFIDENCE)
        yield _tags(track.tags, title_weight)
        yield from self._read(track.lyrics, lyrics_weight)
        top = sorted(track.comments, key=_likes, reverse=True)[: self.max_comments]
        for text, comment_likes in top:
            yield from self._read(text, reference_weights(comment_likes, likes)[0])

    def _read(
        self, text: str, weight: float, min_confidence: float = 0.0
    ) -> Iterator[tuple[float, list[float]]]:
        """A text's scores, or its chunks' scores each weighed by its share of the text;
        a reading less confident than `min_confidence` says nothing."""
        chunks = _chunks(text, self.chunk_chars)
        size = sum(map(len, chunks))
        for chunk in chunks:
            try:
                scores, confidence = self._scores(chunk)
            except ValueError:  # text the engine refuses (junk, binary) says nothing of mood
                continue
            if confidence >= min_confidence:
                yield weight * len(chunk) / size * confidence, scores


def _likes(comment: tuple[str, int]) -> int:
    return comment[1]


def _tags(tags: tuple[str, ...], weight: float) -> tuple[float, list[float]]:
    if not tags:
        return 0.0, [0.0] * DIM
    scores, matched = mood_tags.tags_vector(list(tags))
    return (weight if matched else 0.0), scores.tolist()


def _chunks(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at line breaks where there are any."""
    if len(text) <= limit:  # the common case, without splitting lines
        return [text] if text.strip() else []
    pieces, piece = [], ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:  # one enormous line: cut it anywhere
            if piece:
                pieces.append(piece)
                piece = ""
            pieces.append(line[:limit])
            line = line[limit:]
        if len(piece) + len(line) > limit:
            pieces.append(piece)
            piece = ""
        piece += line
    if piece.strip():
        pieces.append(piece)
    return pieces


def _valence_energy_vector(track: TrackTexts) -> EmotionVector | None:
    """The track's valence and energy as a circumplex point spread over the categories."""
    if track.valence is None and track.energy is None:
        return None
    valence = 0.0 if track.valence is None else 2 * track.valence - 1
    arousal = 0.0 if track.energy is None else 2 * track.energy - 1
    return EmotionVector.from_valence_arousal(valence, arousal)
