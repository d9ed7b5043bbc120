"""The mood now: decay with a half-life, corrections override, and the database path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from pydantic import ValidationError

from moodtune.config import Settings
from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.fusion import MAX_CONFIDENCE
from moodtune.emotion_engines.reading import Reading
from moodtune.recommender.mood_state import (
    LEADS_AT,
    NO_RECENT_MOOD,
    MoodChoiceError,
    MoodStateError,
    correction_vector,
    current_mood,
    decay_weight,
    decayed_mood,
    horizon_start,
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


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def share(reading, code: str) -> float:
    return reading.vector.as_dict()[code]


def said(vector: EmotionVector, confidence: float) -> Reading:
    return Reading(vector, confidence, modality="text", engine="test")


HALF = 10.0  # minutes


FAINT = 0.2  # below LEADS_AT: faint moods blend


def test_a_mood_one_half_life_old_weighs_half() -> None:
    assert decay_weight(timedelta(minutes=10), HALF) == pytest.approx(0.5)
    assert decay_weight(timedelta(minutes=-2), HALF) == 1.0  # clock skew: fresh, not heavier
    mood = decayed_mood(
        [Stored(JOY.values, FAINT, ago(10)), Stored(SORROW.values, FAINT, NOW)], NOW, HALF
    )
    assert share(mood, "NB") == pytest.approx(2 / 3)
    assert share(mood, "PA") == pytest.approx(1 / 3)
    assert mood.confidence == pytest.approx(1 - (1 - FAINT / 2) * (1 - FAINT))
    assert [e.label for e in mood.evidence] == ["reading: text", "reading: text"]
    assert mood.evidence[0].detail["age_minutes"] == 0


def test_without_explaining_the_mood_is_the_same_and_carries_no_evidence() -> None:
    stored = [Stored(JOY.values, FAINT, ago(10)), Stored(SORROW.values, FAINT, ago(1))]
    explained = decayed_mood(stored, NOW, HALF)
    bare = decayed_mood(stored, NOW, HALF, explain=False)
    assert bare.vector == explained.vector and bare.confidence == explained.confidence
    assert bare.evidence == () and len(explained.evidence) == 2


def test_earlier_moods_fade_over_minutes_not_hours() -> None:
    stored = [Stored(SORROW.values, 0.8, ago(1))]
    soon = decayed_mood(stored, NOW, HALF).confidence
    later = decayed_mood(stored, NOW + timedelta(minutes=20), HALF).confidence
    assert later == pytest.approx(soon / 4)
    hour = current_mood(None, stored, NOW + timedelta(minutes=60), HALF).reading.confidence
    assert hour < 0.02  # an hour later the sorrow has all but gone
    assert decayed_mood([], NOW, HALF).note == NO_RECENT_MOOD


def test_a_confident_message_decides_the_mood_alone() -> None:
    # Three sad messages, then "I just got the job!!! I am so happy 🎉".
    earlier = [Stored(SORROW.values, 0.8, ago(m)) for m in (3, 2, 1)]
    joy = said(JOY, 0.8)
    now = current_mood(joy, earlier, NOW, HALF)
    assert now.from_now and now.reading is joy
    at_the_threshold = said(JOY, LEADS_AT)
    assert current_mood(at_the_threshold, earlier, NOW, HALF).reading.vector == JOY


def test_a_message_that_says_nothing_is_answered_with_the_earlier_mood() -> None:
    earlier = [Stored(SORROW.values, 0.8, ago(2))]
    for message in (None, Reading.empty("text", "lexicon", "I found no feeling words I know.")):
        used = current_mood(message, earlier, NOW, HALF)
        assert not used.from_now
        assert used.reading.vector == SORROW
        assert used.reading.confidence == pytest.approx(0.8 * decay_weight(ago(0) - ago(2), HALF))


def test_a_faint_message_blends_with_the_earlier_mood() -> None:
    earlier = [Stored(SORROW.values, 0.8, NOW)]
    faint = current_mood(said(CALM, LEADS_AT / 4), earlier, NOW, HALF)
    assert not faint.from_now  # the earlier mood weighs more: it is what the reply names
    assert share(faint.reading, "NB") > share(faint.reading, "PE") > 0
    firmer = current_mood(said(CALM, LEADS_AT * 0.8), earlier, NOW, HALF)
    assert firmer.from_now and share(firmer.reading, "PE") > share(firmer.reading, "NB") > 0


def test_without_anything_earlier_a_faint_message_stands_alone() -> None:
    faint = said(CALM, 0.1)
    used = current_mood(faint, [], NOW, HALF)
    assert used.from_now and used.reading is faint
    nothing = current_mood(None, [], NOW, HALF)
    assert not nothing.has_signal and nothing.reading.note == NO_RECENT_MOOD


def test_agreeing_faint_readings_make_a_surer_mood() -> None:
    one = decayed_mood([Stored(CALM.values, FAINT, NOW)], NOW, HALF)
    three = decayed_mood([Stored(CALM.values, FAINT, ago(m)) for m in (0, 1, 2)], NOW, HALF)
    assert three.confidence > one.confidence
    sure = decayed_mood([Stored(CALM.values, 1.0, NOW)], NOW, HALF)
    assert sure.confidence == MAX_CONFIDENCE


def test_a_clear_mood_supersedes_the_moods_before_it() -> None:
    # Three sad messages, then a happy one: "another one" continues with the joy.
    stored = [Stored(SORROW.values, 0.8, ago(m)) for m in (4, 3, 2)]
    stored.append(Stored(JOY.values, 0.6, ago(1)))
    assert decayed_mood(stored, NOW, HALF).vector == JOY
    # Faint moods after it blend in.
    later = decayed_mood([*stored, Stored(CALM.values, FAINT, NOW)], NOW, HALF)
    assert share(later, "PA") > share(later, "PE") > 0 and share(later, "NB") == 0


def test_a_correction_overrides_the_readings_before_it() -> None:
    stored = [
        Stored(SORROW.values, 0.9, ago(5)),
        Stored(CALM.values, 1.0, ago(4), kind="correction", modality="correction"),
    ]
    mood = decayed_mood(stored, NOW, HALF)
    assert mood.vector.top(1)[0][0] == "PE" and share(mood, "NB") == 0
    # What comes after the correction blends with it as usual.
    later = decayed_mood([*stored, Stored(JOY.values, FAINT, ago(1))], NOW, HALF)
    assert share(later, "PE") > share(later, "PA") > 0
    assert share(later, "NB") == 0
    # The newest correction wins over an older one.
    again = [*stored, Stored(JOY.values, 1.0, ago(2), kind="correction")]
    assert decayed_mood(again, NOW, HALF).vector == JOY


def test_moods_without_signal_are_ignored() -> None:
    stored = [Stored(np.zeros(21), 0.0, NOW), Stored(JOY.values, 0.0, NOW)]
    assert not decayed_mood(stored, NOW, HALF).has_signal


@pytest.mark.parametrize("half_life", [0.0, -1.0, float("nan")])
def test_a_half_life_that_is_no_positive_number_is_refused(half_life: float) -> None:
    with pytest.raises(MoodStateError, match="positive number of minutes"):
        decayed_mood([], NOW, half_life)
    with pytest.raises(MoodStateError, match="positive number of minutes"):
        horizon_start(NOW, Settings.model_construct(mood_half_life_minutes=half_life))
    with pytest.raises(ValidationError, match="mood_half_life_minutes"):
        Settings(mood_half_life_minutes=half_life)  # refused when the settings are read


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
    """The earlier mood at NOW (what fills in when a message says little), from what the
    database holds about the person."""
    state = await People(session_factory, settings).get(platform, user, now=NOW)
    return decayed_mood(state.moods, NOW, settings.mood_half_life_minutes)


async def test_current_mood_from_the_database(session_factory) -> None:
    settings = Settings(mood_half_life_minutes=2.0)
    assert (await _mood_now(session_factory, "local", "ann", settings)).note == NO_RECENT_MOOD
    async with session_factory() as session, session.begin():
        ann = await persons.get_or_create(session, "local", "ann")
        bo = await persons.get_or_create(session, "local", "bo")
        await moods.record(session, ann.id, JOY, 0.8, "text", at=ago(30))  # beyond the horizon
        await moods.record(session, ann.id, SORROW, FAINT, "photo", at=ago(2))
        await moods.record(session, ann.id, CALM, FAINT, "voice", at=NOW)
        await moods.record(session, bo.id, JOY, 1.0, "text", at=NOW)  # someone else's
    mood = await _mood_now(session_factory, "local", "ann", settings)
    assert share(mood, "PE") == pytest.approx(2 / 3)
    assert share(mood, "NB") == pytest.approx(1 / 3)
    assert share(mood, "PA") == 0
    assert {e.label for e in mood.evidence} == {"reading: photo", "reading: voice"}


async def test_a_stored_correction_overrides_and_is_a_labelled_example(session_factory) -> None:
    async with session_factory() as session, session.begin():
        ann = await persons.get_or_create(session, "telegram", "7")
        await moods.record(session, ann.id, SORROW, 0.7, "photo", at=ago(2))
        await moods.record(
            session, ann.id, correction_vector("PE"), 1.0, "text", kind="correction",
            at=ago(1),
        )  # fmt: skip
    mood = await _mood_now(session_factory, "telegram", "7", Settings())
    async with session_factory() as session:
        examples = await corrections.labelled_examples(session)
    assert mood.vector == CALM
    assert len(examples) == 1
    np.testing.assert_allclose(examples[0].read.vector, SORROW.values)
    np.testing.assert_allclose(examples[0].label.vector, CALM.values)
    assert examples[0].read.modality == "photo"
