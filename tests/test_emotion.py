import numpy as np
import pytest

from moodtune.emotion import (
    CATEGORIES,
    GROUP_OF,
    GROUPS,
    VALENCE_AROUSAL,
    EmotionVector,
    InvalidVectorError,
)
from moodtune.emotion_engines.reading import Reading, ReadingError


def test_canonical_order_and_groups() -> None:
    assert " ".join(CATEGORIES) == (
        "PA PE PD PH PG PB PK NA NB NJ NH PF NI NC NG NE ND NN NK NL PC"
    )
    assert len(GROUPS) == 7
    assert sorted(GROUP_OF) == sorted(CATEGORIES)
    assert GROUPS["sadness"][0] == "哀" and "PF" in GROUPS["sadness"][2]


def test_valence_arousal_points_sit_on_the_right_side() -> None:
    for code, (valence, arousal) in VALENCE_AROUSAL.items():
        assert -1 <= valence <= 1 and -1 <= arousal <= 1
        if code not in {"PF"}:  # missing someone is a sad feeling with a "P" code
            assert (valence > 0) == code.startswith("P"), code


def test_vector_normalises_and_adds_contributions() -> None:
    vector = EmotionVector.from_scores({"PA": 3.0, "NB": 1.0})
    assert vector.values.sum() == pytest.approx(1.0)
    assert vector.top(2) == [("PA", 0.75), ("NB", 0.25)]
    assert EmotionVector.zero().is_zero and EmotionVector.zero().top() == []


@pytest.mark.parametrize(
    "bad",
    [
        [np.nan] * 21,
        [np.nan] + [1.0] * 20,  # one NaN among good values
        [-1.0] + [0.0] * 20,
        [-1.0] + [0.5] * 20,  # a negative the positive rest outweighs
        [1.0] * 20,
        [np.inf] * 21,
        [np.inf] + [0.0] * 20,
        [np.inf, -np.inf] + [0.0] * 19,  # they sum to NaN
        [-np.inf] + [1.0] * 20,
    ],
)
def test_vector_rejects_invalid_values(bad: list[float]) -> None:
    with pytest.raises(InvalidVectorError):
        EmotionVector(np.array(bad))


def test_valence_arousal_round_trip_lands_near_the_point() -> None:
    for valence, arousal in [(0.8, 0.5), (-0.7, -0.4), (-0.6, 0.8), (0.5, -0.4)]:
        vector = EmotionVector.from_valence_arousal(valence, arousal)
        got_v, got_a = vector.valence_arousal()
        assert abs(got_v - valence) < 0.35 and abs(got_a - arousal) < 0.35


def test_reading_rules() -> None:
    assert not Reading.empty("text", "x").has_signal
    with pytest.raises(ReadingError):
        Reading(EmotionVector.zero(), 0.5)
    with pytest.raises(ReadingError):
        Reading(EmotionVector.from_scores({"PA": 1}), 1.5)
