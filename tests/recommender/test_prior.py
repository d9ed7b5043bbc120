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


def _by_hand(thumbs: list[tuple[int, np.ndarray, int]], ids: list[int], mood: EmotionVector):
    """Each track's 👍 and 👎, weighed by their mood's likeness to `mood`, one at a time."""
    like = {id(m): float(group_direction(m) @ group_direction(mood.values)) for _, m, _ in thumbs}
    up = [sum(like[id(m)] for t, m, v in thumbs if t == i and v > 0) for i in ids]
    down = [sum(like[id(m)] for t, m, v in thumbs if t == i and v < 0) for i in ids]
    return up, down


def test_many_tracks_replaced_thumbs_and_unknown_ids() -> None:
    rng = np.random.default_rng(7)
    moods = list(rng.dirichlet(np.full(21, 0.3), size=50))
    thumbs = [(t % 300, moods[t % 50], 1 if t % 3 else -1) for t in range(900)]
    prior = GlobalPrior.from_thumbs(thumbs)  # 300 tracks: storage grows several times
    prior.replace(5, [(SAD.values, -1)])  # its thumbs re-read: one 👎 now
    prior.replace(6, [])  # every thumb on it withdrawn
    prior.replace(1000, [(JOY.values, +1)])  # never seen before
    now = [th for th in thumbs if th[0] not in (5, 6)] + [
        (5, SAD.values, -1),
        (1000, JOY.values, 1),
    ]
    ids = [5, 6, 1000, 0, 7, 299, -1, 10**12]
    for mood in (SAD, JOY, BITTERSWEET):
        up, down = prior.counts(ids, mood)
        want_up, want_down = _by_hand(now, ids, mood)
        np.testing.assert_allclose(up, want_up, atol=1e-12)
        np.testing.assert_allclose(down, want_down, atol=1e-12)
    assert [len(a) for a in prior.counts([], SAD)] == [0, 0]


def test_with_no_thumbs_the_posterior_is_the_pseudo_votes() -> None:
    alpha, beta, base = GlobalPrior().posterior([1, 2, 3], SAD)
    withdrawn = GlobalPrior.from_thumbs([(9, SAD.values, +1)])
    withdrawn.replace(9, [])
    assert (alpha.tolist(), beta.tolist(), base) == ([4.0] * 3, [4.0] * 3, 0.5)
    same = withdrawn.posterior([1, 2, 3], SAD)
    assert (same[0].tolist(), same[1].tolist(), same[2]) == ([4.0] * 3, [4.0] * 3, 0.5)
