"""The group evaluation on a small synthetic world: the definitions, and that it can fail."""

from __future__ import annotations

import numpy as np
import pytest

from moodtune.recommender import simulation
from moodtune.recommender.group_simulation import (
    PLAIN,
    Outcome,
    Settings,
    World,
    evaluate,
    satisfaction,
)


@pytest.fixture(scope="module")
def world() -> World:
    catalog = simulation.make_world(simulation.Settings(tracks=2000, artists=300)).catalog
    return World(catalog)


def test_satisfaction_is_the_share_of_the_members_best_list() -> None:
    utility = np.array([0.9, 0.1, 0.5, 0.2, 0.8])
    assert satisfaction(utility, np.array([0, 4]), 2) == pytest.approx(1.0)
    assert satisfaction(utility, np.array([1, 3]), 2) == pytest.approx(0.3 / 1.7)
    assert satisfaction(utility, np.array([], dtype=np.int64), 2) == 0.0


def test_jains_index_and_the_lowest_member() -> None:
    equal = Outcome(np.array([0.4, 0.4, 0.4]), np.array([1, 1, 1]))
    assert equal.jain == pytest.approx(1.0) and equal.lowest == pytest.approx(0.4)
    one_served = Outcome(np.array([0.9, 0.0, 0.0]), np.array([3, 0, 0]))
    assert one_served.jain == pytest.approx(1 / 3) and not one_served.everyone_served


def test_fair_beats_plain_averaging_on_a_world_it_was_not_tuned_on(world: World) -> None:
    results = evaluate(world, Settings(groups=30, largest=12, seed=7))
    fair, plain = results.outcomes["fair"], results.outcomes[PLAIN]
    assert np.mean([o.lowest for o in fair]) >= 1.3 * np.mean([o.lowest for o in plain])
    assert np.mean([o.jain for o in fair]) > np.mean([o.jain for o in plain])
    small = [o for o, n in zip(fair, results.sizes, strict=True) if n <= 10]
    assert small and all(o.everyone_served for o in small)
    assert all(len(o.satisfaction) == n for o, n in zip(fair, results.sizes, strict=True))
