import numpy as np
import pytest

from moodtune.emotion import EmotionVector
from moodtune.recommender.prior import GlobalPrior, group_direction

SAD = EmotionVector.from_scores({"NB": 0.7, "PF": 0.3})
GLOOMY = EmotionVector.from_scores({"NJ": 1.0})
JOY = EmotionVector.from_scores({"PA": 1.0})
BITTERSWEET = EmotionVector.from_scores({"NB": 0.5, "PA": 0.5})


def test_group_direction_is_a_unit_vector_over_the_seven_groups() -> None:
    assert np.linalg.norm(group_direction(SAD.values)) == pytest.approx(1.0)
    np.testing.assert_allclose(group_direction(SAD.values), group_direction(GLOOMY.values))
    assert group_direction(np.zeros(21)).tolist() == [0.0] * 7


def test_thumbs_count_as_much_as_their_mood_resembles_the_question() -> None:
    prior = GlobalPrior.from_thumbs([(1, SAD.values, +1), (1, SAD.values, +1), (1, JOY.values, -1)])
    up, down = prior.counts([1, 2], GLOOMY)
    assert up.tolist() == pytest.approx([2.0, 0.0]) and down.tolist() == pytest.approx([0.0, 0.0])
    up, down = prior.counts([1], BITTERSWEET)
    assert up[0] == pytest.approx(2 / np.sqrt(2)) and down[0] == pytest.approx(1 / np.sqrt(2))


def test_a_thumb_added_later_counts_like_one_loaded() -> None:
    prior = GlobalPrior()
    prior.add(3, SAD.values, +1)
    prior.add(3, SAD.values, -1)
    loaded = GlobalPrior.from_thumbs([(3, SAD.values, +1), (3, SAD.values, -1)])
    assert np.allclose(prior.counts([3], SAD), loaded.counts([3], SAD))
