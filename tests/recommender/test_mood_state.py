"""The mood now: decay with a half-life, corrections override, and the database path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from moodtune.config import Settings
from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.fusion import MAX_CONFIDENCE
from moodtune.emotion_engines.reading import Reading
from moodtune.recommender.mood_state import (
    NO_RECENT_MOOD,
    MoodChoiceError,
    MoodStateError,
    correction_vector,
    decay_weight,
    decayed_mood,
)
from moodtune.recommender.people import People
from moodtune.storage import corrections, moods, persons

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
JOY = EmotionVector.from_scores({"PA": 1.0})
SORROW = EmotionVector.from_scores({"NB": 1.0})
CALM = EmotionVector.from_scores({"PE": 1.0})


@dataclass
class Stored:
    vector: np.ndarray
    confidence: float
    created_at: datetime
    kind: str = "reading"
    modality: str = "text"


def ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def share(reading, code: str) -> float:
    return reading.vector.as_dict()[code]


def test_a_reading_one_half_life_old_weighs_half() -> None:
    assert decay_weight(timedelta(hours=6), 6.0) == pytest.approx(0.5)
    assert decay_weight(timedelta(hours=-2), 6.0) == 1.0  # clock skew: fresh, not heavier
    mood = decayed_mood([Stored(JOY.values, 0.8, ago(6)), Stored(SORROW.values, 0.8, NOW)], NOW, 6)
    assert share(mood, "NB") == pytest.approx(2 / 3)
    assert share(mood, "PA") == pytest.approx(1 / 3)
    assert mood.confidence == pytest.approx(1 - (1 - 0.4) * (1 - 0.8))
    assert [e.label for e in mood.evidence] == ["reading: text", "reading: text"]
    assert mood.evidence[0].detail["age_hours"] == 0


def test_without_explaining_the_mood_is_the_same_and_carries_no_evidence() -> None:
    stored = [Stored(JOY.values, 0.8, ago(6)), Stored(SORROW.values, 0.6, ago(1))]
    explained = decayed_mood(stored, NOW, 6)
    bare = decayed_mood(stored, NOW, 6, explain=False)
    assert bare.vector == explained.vector and bare.confidence == explained.confidence
    assert bare.evidence == () and len(explained.evidence) == 2


def test_a_mood_carries_across_messages_and_fades() -> None:
    stored = [Stored(SORROW.values, 0.9, ago(1))]
    assert share(decayed_mood(stored, NOW, 6), "NB") == 1.0
    soon = decayed_mood(stored, NOW, 6).confidence
    later = decayed_mood(stored, NOW + timedelta(hours=12), 6).confidence
    assert later == pytest.approx(soon / 4)
    assert decayed_mood([], NOW, 6).note == NO_RECENT_MOOD


def test_agreeing_readings_make_a_surer_mood_up_to_the_cap() -> None:
    one = decayed_mood([Stored(CALM.values, 0.5, NOW)], NOW, 6)
    three = decayed_mood([Stored(CALM.values, 0.5, ago(h)) for h in (0, 0.1, 0.2)], NOW, 6)
    assert three.confidence > one.confidence
    many = decayed_mood([Stored(CALM.values, 1.0, NOW)] * 3, NOW, 6)
    assert many.confidence == MAX_CONFIDENCE


def test_a_correction_overrides_the_readings_before_it() -> None:
    stored = [
        Stored(SORROW.values, 0.9, ago(0.5)),
        Stored(CALM.values, 1.0, ago(0.4), kind="correction", modality="correction"),
    ]
    mood = decayed_mood(stored, NOW, 6)
    assert mood.vector.top(1)[0][0] == "PE" and share(mood, "NB") == 0
    # What comes after the correction blends with it as usual.
    later = decayed_mood([*stored, Stored(JOY.values, 0.5, ago(0.1))], NOW, 6)
    assert share(later, "PE") > share(later, "PA") > 0
    assert share(later, "NB") == 0
    # The newest correction wins over an older one.
    again = [*stored, Stored(JOY.values, 1.0, ago(0.2), kind="correction")]
    assert decayed_mood(again, NOW, 6).vector == JOY


def test_moods_without_signal_are_ignored() -> None:
    stored = [Stored(np.zeros(21), 0.0, NOW), Stored(JOY.values, 0.0, NOW)]
    assert not decayed_mood(stored, NOW, 6).has_signal


@pytest.mark.parametrize("half_life", [0.0, -1.0, float("nan")])
def test_a_half_life_that_is_no_positive_number_is_refused(half_life: float) -> None:
    with pytest.raises(MoodStateError, match="positive number of hours"):
        decayed_mood([], NOW, half_life)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sadness", {"NB": 0.25, "NJ": 0.25, "NH": 0.25, "PF": 0.25}),
        ("哀", {"NB": 0.25, "NJ": 0.25, "NH": 0.25, "PF": 0.25}),
        (" Happiness ", {"PA": 0.5, "PE": 0.5}),
        ("anger", {"NA": 1.0}),
        ("PE", {"PE": 1.0}),
        ("ease", {"PE": 1.0}),
        ("安心", {"PE": 1.0}),
    ],
)
def test_correction_vectors_for_groups_and_categories(name: str, expected: dict) -> None:
    assert correction_vector(name) == EmotionVector.from_scores(expected)


@pytest.mark.parametrize("name", ["", "calmish", "x" * 10_000, "PA; DROP TABLE"])
def test_an_unknown_mood_name_is_a_clear_error(name: str) -> None:
    with pytest.raises(MoodChoiceError, match="choose one of happiness, goodness"):
        correction_vector(name)


async def _mood_now(session_factory, platform: str, user: str, settings: Settings) -> Reading:
    """The mood the bot answers at NOW, from what the database holds about the person."""
    state = await People(session_factory, settings).get(platform, user, now=NOW)
    return decayed_mood(state.moods, NOW, settings.mood_half_life_hours)


async def test_current_mood_from_the_database(session_factory) -> None:
    settings = Settings(mood_half_life_hours=2.0)
    assert (await _mood_now(session_factory, "local", "ann", settings)).note == NO_RECENT_MOOD
    async with session_factory() as session, session.begin():
        ann = await persons.get_or_create(session, "local", "ann")
        bo = await persons.get_or_create(session, "local", "bo")
        await moods.record(session, ann.id, JOY, 0.8, "text", at=ago(30))  # beyond the horizon
        await moods.record(session, ann.id, SORROW, 0.8, "photo", at=ago(2))
        await moods.record(session, ann.id, CALM, 0.8, "voice", at=NOW)
        await moods.record(session, bo.id, JOY, 1.0, "text", at=NOW)  # someone else's
    mood = await _mood_now(session_factory, "local", "ann", settings)
    assert share(mood, "PE") == pytest.approx(2 / 3)
    assert share(mood, "NB") == pytest.approx(1 / 3)
    assert share(mood, "PA") == 0
    assert {e.label for e in mood.evidence} == {"reading: photo", "reading: voice"}


async def test_a_stored_correction_overrides_and_is_a_labelled_example(session_factory) -> None:
    async with session_factory() as session, session.begin():
        ann = await persons.get_or_create(session, "telegram", "7")
        await moods.record(session, ann.id, SORROW, 0.7, "photo", at=ago(0.2))
        await moods.record(
            session, ann.id, correction_vector("PE"), 1.0, "text", kind="correction",
            at=ago(0.1),
        )  # fmt: skip
    mood = await _mood_now(session_factory, "telegram", "7", Settings())
    async with session_factory() as session:
        examples = await corrections.labelled_examples(session)
    assert mood.vector == CALM
    assert len(examples) == 1
    np.testing.assert_allclose(examples[0].read.vector, SORROW.values)
    np.testing.assert_allclose(examples[0].label.vector, CALM.values)
    assert examples[0].read.modality == "photo"
