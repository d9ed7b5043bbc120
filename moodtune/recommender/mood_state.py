"""A person's mood now: their recent readings, decayed, and their own word over ours.

Each stored mood weighs its confidence × 0.5^(age / half-life), so a mood carries across
messages and fades over hours (`Settings.mood_half_life_hours`). The current mood is the
weighted mean of those vectors; its confidence is their noisy-or, so several recent
readings that agree make a surer mood than one. A correction ("no, I am calm", stored
with kind "correction") overrides every reading before it: only it and what came after it
count. Moods older than `HORIZON_HALF_LIVES` half-lives weigh under 1 % and are not loaded.

`decayed_mood` returns a `Reading` (modality "mood", engine "decay"), not a bare vector:
the handlers need its confidence (how sure, and whether there is any mood at all) and its
evidence (what it is made of) as much as the vector.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

import numpy as np

from moodtune.config import Settings
from moodtune.emotion import CATEGORIES, GROUPS, NAMES_EN, NAMES_ZH, EmotionVector
from moodtune.emotion_engines.fusion import MAX_CONFIDENCE
from moodtune.emotion_engines.reading import Evidence, Reading

HORIZON_HALF_LIVES = math.log2(100)  # weight 1 % of a fresh mood's
MIN_SHARE = 0.01  # moods that add less than this to the current one are left out of evidence
NO_RECENT_MOOD = "no recent mood"


class MoodStateError(ValueError):
    """A half-life that is not a positive number of hours."""


class MoodChoiceError(ValueError):
    """A mood name that is neither one of the 7 groups nor one of the 21 categories."""


class StoredMood(Protocol):
    """What the decay needs of a stored mood (moodtune.storage.models.MoodReading has it)."""

    vector: np.ndarray
    confidence: float
    modality: str
    kind: str
    created_at: datetime


def decay_weight(age: timedelta, half_life_hours: float) -> float:
    """0.5^(age / half-life); a mood from the future (clock skew) counts as fresh."""
    hours = max(0.0, age.total_seconds() / 3600)
    return 0.5 ** (hours / half_life_hours)


def decayed_mood(
    stored: Sequence[StoredMood], now: datetime, half_life_hours: float, explain: bool = True
) -> Reading:
    """The mood now from stored moods (any order); Reading.empty when none counts. With
    `explain`, its evidence says which moods it is made of (the bot's replies skip that)."""
    _check_half_life(half_life_hours)
    ordered = sorted(stored, key=lambda m: m.created_at)
    corrections = [i for i, m in enumerate(ordered) if m.kind == "correction"]
    if corrections:
        ordered = ordered[corrections[-1] :]  # the person's own word overrides what came before
    weighted = [
        (m, m.confidence * decay_weight(now - m.created_at, half_life_hours))
        for m in ordered
        if m.confidence > 0 and np.any(m.vector)
    ]
    weighted = [(m, w) for m, w in weighted if w > 0]
    if not weighted:
        return Reading.empty("mood", "decay", NO_RECENT_MOOD)
    weights = np.array([w for _, w in weighted]) / sum(w for _, w in weighted)
    vectors = np.array([m.vector for m, _ in weighted], dtype=np.float64)
    vectors /= vectors.sum(axis=1, keepdims=True)  # stored as float32: sums drift from 1
    confidence = 1.0 - math.prod(1.0 - w for _, w in weighted)
    evidence = tuple(
        Evidence(
            f"{m.kind}: {m.modality}",
            float(share),
            _strongest(vector),
            {"age_hours": round((now - m.created_at).total_seconds() / 3600, 2)},
        )
        for (m, _), share, vector in zip(weighted[::-1], weights[::-1], vectors[::-1], strict=True)
        if explain and share >= MIN_SHARE
    )
    return Reading(
        EmotionVector(weights @ vectors), min(MAX_CONFIDENCE, confidence), evidence, "mood",
        "decay",
    )  # fmt: skip


def _strongest(vector: np.ndarray, n: int = 3) -> tuple[str, ...]:
    """The codes of the n strongest categories (as EmotionVector.top, without its checks)."""
    return tuple(CATEGORIES[i] for i in np.argsort(-vector, kind="stable")[:n] if vector[i] > 0)


def _check_half_life(hours: float) -> None:
    if not math.isfinite(hours) or hours <= 0:
        raise MoodStateError(f"the mood half-life must be a positive number of hours, not {hours}")


def horizon_start(now: datetime, settings: Settings) -> datetime:
    """The oldest a mood may be and still count at `now` (older ones weigh under 1 %)."""
    _check_half_life(settings.mood_half_life_hours)
    return now - timedelta(hours=settings.mood_half_life_hours * HORIZON_HALF_LIVES)


@functools.cache
def _names() -> dict[str, EmotionVector]:
    """Every name a person may correct their mood with → its vector."""
    table: dict[str, EmotionVector] = {}
    for code in CATEGORIES:
        vector = EmotionVector.from_scores({code: 1.0})
        for name in (code, NAMES_EN[code], NAMES_ZH[code]):
            table[name.casefold()] = vector
    for group, (zh, en, codes) in GROUPS.items():
        vector = EmotionVector.from_scores(dict.fromkeys(codes, 1.0))  # members share equally
        for name in (group, zh, en):
            table[name.casefold()] = vector
    return table


def correction_vector(group_or_category: str) -> EmotionVector:
    """The vector of a mood the person names: one of the 7 groups (id, e.g. 'sadness', or
    Chinese name, '哀'), whose members share it equally, or one of the 21 categories (code
    'PE', or name 'ease' / '安心')."""
    name = " ".join(str(group_or_category).split()).casefold()
    vector = _names().get(name)
    if vector is None:
        raise MoodChoiceError(
            f"I do not know the mood {group_or_category!r}; choose one of "
            f"{', '.join(GROUPS)} (or a feeling such as joy, ease, sorrow, fear)"
        )
    return vector
