import itertools

import numpy as np
import pytest

from moodtune.emotion import GROUPS, INDEX, EmotionVector
from moodtune.recommender import modes
from moodtune.recommender.modes import (
    LIFT_STEP,
    LIFT_TARGET,
    ModeError,
    lift_steps,
    queries,
    step_distance,
    target,
)

SAD = EmotionVector.from_scores({"NB": 0.7, "PF": 0.3})
ANGRY = EmotionVector.from_scores({"NA": 1.0})
JOYFUL = EmotionVector.from_scores({"PA": 1.0})


def test_match_asks_for_the_mood_itself_every_time() -> None:
    assert queries("match", SAD, 4) == [SAD] * 4


@pytest.mark.parametrize("mood", [SAD, ANGRY])
def test_lift_starts_at_the_mood_and_steps_toward_content(mood: EmotionVector) -> None:
    steps = queries("lift", mood, 5)
    assert len(steps) == 5 and steps[0] == mood
    goal = np.array(target().valence_arousal())
    gaps = [np.linalg.norm(np.array(s.valence_arousal()) - goal) for s in steps]
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < gaps[0]
    for before, after in itertools.pairwise(steps):
        assert step_distance(before, after) == pytest.approx(LIFT_STEP, abs=1e-9) or (
            step_distance(after, target()) < 1e-9
        )
    assert steps[-1].valence_arousal()[0] > mood.valence_arousal()[0] + 0.5


def test_an_angry_mood_is_calmed_and_a_sad_one_woken() -> None:
    angry = lift_steps(ANGRY, 5)
    assert angry[-1].valence_arousal()[1] < angry[0].valence_arousal()[1]
    sad = lift_steps(SAD, 5)
    assert sad[-1].valence_arousal()[1] > sad[0].valence_arousal()[1]


def test_a_long_lift_reaches_the_target_and_stays() -> None:
    steps = lift_steps(SAD, 12)
    assert steps[-1] == steps[-2] == target()
    assert target().valence_arousal() == pytest.approx((0.73, 0.06), abs=0.01)
    assert max(target().groups(), key=target().groups().get) == "happiness"
    assert {code for code, _ in target().top(3)} == set(LIFT_TARGET)


def test_a_good_mood_or_no_mood_has_nothing_to_lift() -> None:
    assert lift_steps(JOYFUL, 3) == [JOYFUL] * 3
    assert lift_steps(EmotionVector.zero(), 2) == [EmotionVector.zero()] * 2


def test_an_unknown_mode_is_a_clear_error() -> None:
    with pytest.raises(ModeError, match="choose one of auto, match, lift"):
        queries("party", SAD, 3)


@pytest.mark.parametrize(
    ("scores", "response"),
    [
        ({"NB": 0.7, "PF": 0.3}, "match"),  # sorrow and longing
        ({"PB": 1.0}, "match"),  # love
        ({"PA": 0.8, "PC": 0.2}, "match"),  # joy
        ({"NI": 0.8, "NC": 0.2}, "soothe"),  # anxiety
        ({"NE": 1.0}, "encourage"),  # boredom, vexation
        ({"NA": 0.9, "NE": 0.1}, "release"),  # anger
    ],
)
def test_auto_answers_each_group_with_its_response(scores: dict, response: str) -> None:
    mood = EmotionVector.from_scores(scores)
    assert modes.response_for("auto", mood) == response
    assert modes.response_for("match", mood) == "match"
    assert modes.response_for("lift", mood) == "lift"
    assert modes.DEFAULT_MODE == "auto" and set(modes.RESPONSE_OF_GROUP) == set(GROUPS)


def _group(vector: EmotionVector) -> str:
    return modes.dominant_group(vector)


def test_soothe_is_calm_and_gentler_track_by_track() -> None:
    anxious = EmotionVector.from_scores({"NI": 0.8, "NC": 0.2})
    plan = modes.plan("auto", anxious, 5)
    assert plan.response == "soothe"
    assert all(_group(q) == "happiness" for q in plan.queries)  # never fear itself
    arousal = [q.valence_arousal()[1] for q in plan.queries]
    assert arousal == sorted(arousal, reverse=True) and arousal[-1] < 0


def test_encourage_leaves_boredom_for_upbeat() -> None:
    bored = EmotionVector.from_scores({"NE": 1.0})
    plan = modes.plan("auto", bored, 5)
    valence = [q.valence_arousal()[0] for q in plan.queries]
    assert valence == sorted(valence) and valence[0] > bored.valence_arousal()[0]
    assert _group(plan.queries[-1]) == "happiness"


def test_release_keeps_anger_s_energy_and_leans_to_confidence() -> None:
    angry = EmotionVector.from_scores({"NA": 1.0})
    plan = modes.plan("auto", angry, 5)
    assert plan.queries[0].values[INDEX["NA"]] > 0.7  # met where it is
    assert 0.4 < plan.queries[-1].values[INDEX["NA"]] < 0.6  # still half the fire
    assert all(q.valence_arousal()[1] > 0.3 for q in plan.queries)  # energetic throughout
    valence = [q.valence_arousal()[0] for q in plan.queries]
    assert valence == sorted(valence)


def test_a_one_track_reply_and_no_mood_are_handled() -> None:
    angry = EmotionVector.from_scores({"NA": 1.0})
    assert len(modes.plan("auto", angry, 1).queries) == 1
    assert modes.plan("auto", EmotionVector.zero(), 3).response == "match"
