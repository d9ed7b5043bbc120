import numpy as np
import pytest

from moodtune.emotion import INDEX, EmotionVector
from moodtune.recommender.ranking import recommend
from moodtune.recommender.taste import Taste
from moodtune.recommender.tracks import CatalogIndex, TrackInfo


def vec(**scores: float) -> np.ndarray:
    return EmotionVector.from_scores(scores).values


SAD = EmotionVector.from_scores({"NB": 0.7, "PF": 0.3})


@pytest.fixture
def catalog() -> CatalogIndex:
    tracks = [
        TrackInfo(1, "Rainy Night", ("A",), vec(NB=0.7, PF=0.3), ("sad", "rainy")),
        TrackInfo(2, "Grey Sky", ("A",), vec(NB=0.65, PF=0.35), ("sad",)),
        TrackInfo(3, "Old Letters", ("A",), vec(NB=0.6, PF=0.4), ("nostalgic",)),
        TrackInfo(4, "Far Away", ("B",), vec(NB=0.5, PF=0.5), ("longing",)),
        TrackInfo(5, "Tears", ("C",), vec(NB=0.6, PF=0.25, NJ=0.15), ("sad",)),
        TrackInfo(6, "Sunshine", ("D",), vec(PA=1.0), ("happy",)),
        TrackInfo(7, "Party", ("D",), vec(PA=0.7, PC=0.3), ("upbeat",)),
        TrackInfo(8, "Silent", ("E",), np.zeros(21), ()),
    ]
    return CatalogIndex(tracks)


def ids(picks) -> list[int]:
    return [p.track.id for p in picks]


def test_nearest_tracks_first_with_a_reason(catalog: CatalogIndex) -> None:
    picks = recommend(catalog, SAD, 3)
    assert ids(picks)[0] == 1
    assert picks[0].distance == pytest.approx(0.0, abs=1e-6)
    assert "sorrow" in picks[0].why
    assert 8 not in catalog.tracks  # a track with no vector is not recommendable


def test_at_most_two_tracks_per_artist(catalog: CatalogIndex) -> None:
    picks = recommend(catalog, SAD, 4)
    assert [p.track.artists[0] for p in picks].count("A") == 2
    assert ids(picks) == [1, 2, 5, 4]


def test_disliked_and_recent_tracks_are_left_out(catalog: CatalogIndex) -> None:
    taste = Taste.from_votes([(catalog.tracks[1], -1)])
    picks = recommend(catalog, SAD, 3, taste=taste, recent={2})
    assert 1 not in ids(picks) and 2 not in ids(picks)


def test_liked_artist_rises(catalog: CatalogIndex) -> None:
    before = ids(recommend(catalog, SAD, 5, max_per_artist=4))
    taste = Taste.from_votes([(catalog.tracks[5], +1)])  # likes artist C
    after = recommend(catalog, SAD, 5, taste=taste, max_per_artist=4)
    assert ids(after).index(5) < before.index(5)
    liked = next(p for p in after if p.track.id == 5)
    assert "you liked C" in liked.why


def test_liked_tags_rise_and_change_of_heart_counts(catalog: CatalogIndex) -> None:
    taste = Taste.from_votes([(catalog.tracks[3], +1)])
    assert taste.tag_affinity(catalog.tracks[3]) > 0
    changed = Taste.from_votes([(catalog.tracks[3], +1), (catalog.tracks[3], -2)])
    assert 3 in changed.disliked and 3 not in changed.liked


def test_zero_mood_and_chinese_reasons(catalog: CatalogIndex) -> None:
    assert recommend(catalog, EmotionVector.zero(), 3) == []
    picks = recommend(catalog, SAD, 1, language="zh")
    assert "悲伤" in picks[0].why
    assert INDEX["NB"] == 8
