"""The offline simulation, small: the re-ranker must already beat plain nearest neighbours."""

from __future__ import annotations

import numpy as np
import pytest

from moodtune.emotion import EmotionVector
from moodtune.recommender.simulation import (
    Settings,
    compare,
    make_people,
    make_world,
    thumbs_up_probability,
)

SMALL = Settings(people=30, rounds=10, tracks=3000, artists=480)


@pytest.fixture(scope="module")
def outcome():
    return compare(SMALL)


def test_the_re_ranker_learns_what_people_like(outcome) -> None:
    _, nearest, reranked = outcome
    assert reranked.rate(6, 10) > 1.25 * nearest.rate(6, 10)
    assert reranked.rate(6, 10) > reranked.rate(1, 2)  # it gets better as thumbs come in
    assert sum(reranked.offers) == sum(nearest.offers) == 30 * 10 * 5


def test_no_repeats_diverse_artists_and_a_wide_reach(outcome) -> None:
    world, nearest, reranked = outcome
    assert reranked.repeats == nearest.repeats == 0
    assert reranked.crowded == 0
    assert min(reranked.distinct_artists) >= 4.5  # of 5 tracks per reply
    assert reranked.coverage(len(world.catalog), 10) > nearest.coverage(len(world.catalog), 10)


def test_the_same_seed_gives_the_same_run() -> None:
    tiny = Settings(people=6, rounds=3, tracks=400, artists=60)
    _, nearest, reranked = compare(tiny)
    _, nearest_again, reranked_again = compare(tiny)
    assert (nearest_again.ups, reranked_again.ups) == (nearest.ups, reranked.ups)
    _, _, other = compare(Settings(people=6, rounds=3, tracks=400, artists=60, seed=7))
    assert other.offered != reranked.offered


def test_hidden_tastes_drive_the_thumbs() -> None:
    one = Settings(people=1, tracks=500, artists=80)
    world = make_world(one)
    person = make_people(world, one)[0]
    loved = [t for t in world.catalog.tracks.values() if t.genre in person.loved]
    disliked = [t for t in world.catalog.tracks.values() if t.genre in person.disliked]

    def mean_probability(tracks) -> float:
        # Each judged in the very mood it expresses: only taste and quality differ.
        return float(
            np.mean([thumbs_up_probability(world, person, t, EmotionVector(t.vector))
                     for t in tracks])
        )  # fmt: skip

    assert mean_probability(loved) > 2 * mean_probability(disliked)


def test_artists_rest_between_replies_and_the_biggest_do_not_dominate(outcome) -> None:
    world, nearest, reranked = outcome
    assert reranked.artist_returns == 0 < nearest.artist_returns
    offered, in_catalog = reranked.concentration(world.catalog)
    assert 0.1 < in_catalog < 0.3  # a Zipf world: the 1 % biggest artists hold a sixth or so
    assert offered <= in_catalog
