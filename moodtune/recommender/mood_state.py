"""A person's mood now: the message in front of us first, earlier moods only to fill in.

A confident reading of this message (confidence at least `LEADS_AT`: a feeling word or
two, an emoji, a clear face) decides the mood of the answer on its own: someone who has
been sad all evening and writes "I just got the job!!! 🎉" is answered with joy.

Earlier moods fill in only when the message says little: "another one", "more like
that", a low-confidence photo. What fills in is the last mood the person made clear (the
last confident reading, or correction) and the faint ones after it: a clear mood
supersedes what came before it, as this message would have. Each of those weighs its
confidence ×
0.5^(age / half-life), with the half-life in minutes of conversation
(`Settings.mood_half_life_minutes`), so they fade within the hour, not over a day. Their
weighted mean is the earlier mood; its confidence is the noisy-or of the weights, so
several recent readings that agree make a surer mood than one. The message's own reading
weighs its confidence and the earlier mood weighs its confidence × (1 − c / LEADS_AT),
where c is the message's confidence: nothing at all from the message, and the earlier
mood answers alone; a faint cue, and the two blend.

A correction ("no, I am calm", stored with kind "correction") is such a clear mood,
whatever its confidence. Moods older than `HORIZON_HALF_LIVES` half-lives weigh under 1 %
and are not loaded.

`current_mood` says which mood it used and whether this message decided it, so the reply
can say "for how you feel now" or "still with your sorrow from earlier", and show the
very mood the picks follow.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import numpy as np

from moodtune.config import Settings
from moodtune.emotion import CATEGORIES, GROUPS, NAMES_EN, NAMES_ZH, EmotionVector
from moodtune.emotion_engines.fusion import MAX_CONFIDENCE
from moodtune.emotion_engines.reading import Evidence, Reading

HORIZON_HALF_LIVES = math.log2(100)  # weight 1 % of a fresh mood's
LEADS_AT = 0.3  # a reading at least this confident decides the mood alone
MIN_SHARE = 0.01  # moods that add less than this to the current one are left out of evidence
NO_RECENT_MOOD = "no recent mood"


class MoodStateError(ValueError):
    """A half-life that is not a positive number of minutes."""


class MoodChoiceError(ValueError):
    """A mood name that is neither one of the 7 groups nor one of the 21 categories."""


class StoredMood(Protocol):
    """What the decay needs of a stored mood (moodtune.storage.models.MoodReading has it)."""

    vector: np.ndarray
    confidence: float
    modality: str
    kind: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CurrentMood:
    """The mood an answer follows, and whether this message decided it."""

    reading: Reading  # Reading.empty when there is no mood at all
    from_now: bool  # True: this message's reading leads; False: earlier moods do

    @property
    def has_signal(self) -> bool:
        return self.reading.has_signal


def decay_weight(age: timedelta, half_life_minutes: float) -> float:
    """0.5^(age / half-life); a mood from the future (clock skew) counts as fresh."""
    minutes = max(0.0, age.total_seconds() / 60)
    return 0.5 ** (minutes / half_life_minutes)


def current_mood(
    message: Reading | None,
    earlier: Sequence[StoredMood],
    now: datetime,
    half_life_minutes: float,
    explain: bool = False,
) -> CurrentMood:
    """The mood to answer: this message's reading (None or without signal when it said
    nothing), filled in from `earlier` moods (any order) only as much as it says little."""
    said = message.confidence if message is not None and message.has_signal else 0.0
    if message is not None and said >= LEADS_AT:
        return CurrentMood(message, True)
    before = decayed_mood(earlier, now, half_life_minutes, explain)
    fill = before.confidence * (1.0 - said / LEADS_AT)
    if said == 0.0 or message is None:
        return CurrentMood(before, False)
    if fill <= 0.0:
        return CurrentMood(message, True)
    vector = (said * message.vector.values + fill * before.vector.values) / (said + fill)
    confidence = min(MAX_CONFIDENCE, 1.0 - (1.0 - said) * (1.0 - fill))
    evidence = (*message.evidence, *before.evidence) if explain else ()
    blended = Reading(EmotionVector(vector), confidence, evidence, "mood", "decay")
    return CurrentMood(blended, said >= fill)


def decayed_mood(
    stored: Sequence[StoredMood], now: datetime, half_life_minutes: float, explain: bool = True
) -> Reading:
    """The earlier mood from stored moods (any order); Reading.empty when none counts. With
    `explain`, its evidence says which moods it is made of (the bot's replies skip that)."""
    _check_half_life(half_life_minutes)
    ordered = sorted(stored, key=lambda m: m.created_at)
    clear = [i for i, m in enumerate(ordered) if m.kind == "correction" or m.confidence >= LEADS_AT]
    if clear:
        ordered = ordered[clear[-1] :]  # a clear mood supersedes what came before it
    weighted = [
        (m, m.confidence * decay_weight(now - m.created_at, half_life_minutes))
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
            {"age_minutes": round((now - m.created_at).total_seconds() / 60, 1)},
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


def _check_half_life(minutes: float) -> None:
    if not math.isfinite(minutes) or minutes <= 0:
        raise MoodStateError(
            f"the mood half-life must be a positive number of minutes, not {minutes}"
        )


def horizon_start(now: datetime, settings: Settings) -> datetime:
    """The oldest a mood may be and still count at `now` (older ones weigh under 1 %)."""
    _check_half_life(settings.mood_half_life_minutes)
    return now - timedelta(minutes=settings.mood_half_life_minutes * HORIZON_HALF_LIVES)


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
