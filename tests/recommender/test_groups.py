"""Group playlists, pure: scores per member, the strategies, who each track is for."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from moodtune.emotion import EmotionVector
from moodtune.recommender import groups
from moodtune.recommender.groups import (
    STRATEGIES,
    GroupError,
    Member,
    attribute,
    group_playlist,
)
from moodtune.recommender.taste import Taste
from moodtune.recommender.tracks import CatalogIndex, TrackInfo, primary_language

MOODS = {
    "sad": {"NB": 0.7, "PF": 0.3},
    "joy": {"PA": 0.8, "PB": 0.2},
    "calm": {"PE": 0.8, "PG": 0.2},
    "angry": {"NA": 0.8, "NE": 0.2},
    "fear": {"NC": 0.7, "NI": 0.3},
}


def mood(name: str) -> np.ndarray:
    return EmotionVector.from_scores(MOODS[name]).values


def make_catalog(per_mood: int = 12, metric: str = "euclidean", seed: int = 3) -> CatalogIndex:
    """`per_mood` tracks near each mood (4 artists of one genre each, 3 tracks per artist,
    zh and en alternating) and 6 bittersweet ones halfway between sad and joy."""
    rng = np.random.default_rng(seed)
    tracks, number = [], 0
    for name in MOODS:
        for i in range(per_mood):
            number += 1
            vector = mood(name) + rng.uniform(0, 0.04, 21)
            tracks.append(
                TrackInfo(number, f"{name} {i}", (f"{name} artist {i % 4}",), vector / vector.sum(),
                          (name,), f"{name} genre {i % 4}", ("zh", "en")[i % 2])
            )  # fmt: skip
    for i in range(6):
        number += 1
        vector = 0.5 * mood("sad") + 0.5 * mood("joy") + rng.uniform(0, 0.02, 21)
        tracks.append(
            TrackInfo(number, f"bittersweet {i}", (f"bittersweet artist {i}",),
                      vector / vector.sum(), ("bittersweet",), "folk", "en")
        )  # fmt: skip
    return CatalogIndex(tracks, metric)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def catalog() -> CatalogIndex:
    return make_catalog()


def members(*names: str, **options: object) -> list[Member]:
    return [Member(mood(name), **options) for name in names]  # type: ignore[arg-type]


def kind(track: TrackInfo) -> str:
    return track.title.split()[0]


def test_each_track_names_the_member_whose_mood_it_fits(catalog: CatalogIndex) -> None:
    playlist = group_playlist(catalog, members("sad", "joy", "angry"), 9)
    assert len(playlist.picks) == 9
    names = ("sad", "joy", "angry")
    for pick in playlist.picks:
        assert kind(pick.track) in (names[pick.for_member], "bittersweet"), pick.track.title
    assert playlist.aimed.tolist() == [3, 3, 3]
    assert all(0 < f <= 1 for f in playlist.fit)
    assert np.allclose(playlist.room_mood, np.mean([mood(n) for n in names], axis=0))


def test_fair_leaves_nobody_out_where_averaging_serves_the_majority(
    catalog: CatalogIndex,
) -> None:
    group = members("joy", "joy", "joy", "sad")
    fair = group_playlist(catalog, group, 6, "fair")
    average = group_playlist(catalog, group, 6, "average")
    assert fair.aimed[3] >= 1  # the one sad member has a track of their own
    assert min(fair.fit) > min(average.fit)
    assert all(kind(p.track) != "sad" for p in average.picks)  # the majority takes it all


def test_least_misery_starts_with_the_compromise(catalog: CatalogIndex) -> None:
    playlist = group_playlist(catalog, members("sad", "joy"), 3, "least-misery")
    assert [kind(p.track) for p in playlist.picks] == ["bittersweet"] * 3


def test_the_first_fair_track_is_the_best_product_among_its_members_tracks(
    catalog: CatalogIndex,
) -> None:
    """Turn one: everyone has 0, so the product of the scores decides among the first
    member's tracks that survived the misery filter."""
    group = members("sad", "joy")
    playlist = group_playlist(catalog, group, 1, "fair")
    arrays = groups._arrays(catalog)
    scored = groups._score(catalog, arrays, group, groups._moods(group), 1, set())
    survivors = groups._survivors(scored, 1)
    theirs = np.flatnonzero(survivors & scored.own[0])
    best = theirs[np.argmax(np.log(scored.scores[:, theirs]).sum(axis=0))]
    assert playlist.picks[0].track.id == int(arrays.ids[scored.rows[best]])
    assert kind(playlist.picks[0].track) == "bittersweet"  # sad's and liked by joy too


def test_the_groups_window_and_every_members_dislikes_are_left_out(
    catalog: CatalogIndex,
) -> None:
    first = group_playlist(catalog, members("calm", "calm"), 6)
    recent = {p.track.id for p in first.picks}
    second = group_playlist(catalog, members("calm", "calm"), 6, recent=recent)
    assert recent.isdisjoint(p.track.id for p in second.picks)
    calm_tracks = [t for t in catalog.tracks.values() if kind(t) == "calm"]
    hater = Taste.from_votes((t, -1) for t in calm_tracks[:10])
    group = [Member(mood("calm")), Member(mood("calm"), hater)]
    picks = group_playlist(catalog, group, 6).picks
    assert {p.track.id for p in picks}.isdisjoint(t.id for t in calm_tracks[:10])


def test_thumbs_and_language_move_a_members_tracks(catalog: CatalogIndex) -> None:
    fear = [t for t in catalog.tracks.values() if kind(t) == "fear"]
    loves_one_genre = Taste.from_votes(
        [(t, 1) for t in fear if t.genre == "fear genre 1"]
        + [(t, -1) for t in fear if t.genre == "fear genre 2"][:1]
    )
    picks = group_playlist(catalog, [Member(mood("fear"), loves_one_genre)], 4).picks
    assert sum(p.track.genre == "fear genre 1" for p in picks) >= 2
    zh = group_playlist(catalog, [Member(mood("angry"), language="zh")], 4).picks
    en = group_playlist(catalog, [Member(mood("angry"), language="en")], 4).picks
    assert sum(p.track.language == "zh" for p in zh) > sum(p.track.language == "zh" for p in en)


def test_a_catalogs_regional_language_codes_match_the_members_language() -> None:
    regional = make_catalog()
    regional = CatalogIndex(
        [dataclasses.replace(t, language={"zh": "zh-Hans", "en": "en-GB"}.get(t.language, ""))
         for t in regional.tracks.values()]
    )  # fmt: skip
    for spoken, written in (("zh-hans", "zh-Hans"), ("zh", "zh-Hans"), ("en-US", "en-GB")):
        picks = group_playlist(regional, [Member(mood("angry"), language=spoken)], 4).picks
        assert sum(p.track.language == written for p in picks) >= 3, (spoken, picks)


def test_members_who_feel_the_same_share_the_tracks(catalog: CatalogIndex) -> None:
    playlist = group_playlist(catalog, members("calm", "calm", "calm"), 6)
    assert playlist.aimed.tolist() == [2, 2, 2]


def test_no_artist_more_than_allowed(catalog: CatalogIndex) -> None:
    for strategy in STRATEGIES:
        picks = group_playlist(catalog, members("sad", "sad"), 12, strategy, max_per_artist=2).picks
        artists = [p.track.artists[0] for p in picks]
        assert len(picks) == 12
        assert max(artists.count(a) for a in artists) <= 2, strategy


def test_ten_diverse_members_each_get_a_track_of_their_own() -> None:
    rng = np.random.default_rng(5)
    big = CatalogIndex(
        TrackInfo(i, f"t{i}", (f"a{i % 300}",), v) for i, v in
        enumerate(rng.dirichlet(np.full(21, 0.3), size=3000), 1)
    )  # fmt: skip
    for _ in range(5):
        group = [Member(rng.dirichlet(np.full(21, 0.3))) for _ in range(10)]
        playlist = group_playlist(big, group, 10)
        assert playlist.aimed.tolist() == [1] * 10


def test_a_big_catalog_asks_the_index_and_gets_the_same_list(
    catalog: CatalogIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = members("sad", "joy", "fear", "calm")
    disliked = Taste.from_votes([(catalog.tracks[1], -1)])
    group[0] = Member(mood("sad"), disliked)
    scanned = group_playlist(catalog, group, 8, recent={2, 3})
    monkeypatch.setattr(groups, "FULL_SCAN_CELLS", 0)
    searched = group_playlist(catalog, group, 8, recent={2, 3})
    assert [p.track.id for p in searched.picks] == [p.track.id for p in scanned.picks]
    assert np.allclose(searched.fit, scanned.fit)


def test_cosine_catalogs_work_too() -> None:
    cosine = make_catalog(metric="cosine")
    playlist = group_playlist(cosine, members("sad", "angry"), 4)
    assert playlist.aimed.tolist() == [2, 2]


def test_attribute_names_the_members_as_the_playlist_does(catalog: CatalogIndex) -> None:
    group = members("sad", "joy", "angry")
    for strategy in ("average", "least-misery"):
        playlist = group_playlist(catalog, group, 6, strategy)
        named = attribute(catalog, group, [p.track.id for p in playlist.picks], k=6)
        assert named.tolist() == [p.for_member for p in playlist.picks]


def test_fewer_tracks_when_the_catalog_runs_out(catalog: CatalogIndex) -> None:
    everything = set(catalog.tracks)
    assert group_playlist(catalog, members("sad"), 5, recent=everything).picks == []
    almost = everything - {1, 2}
    assert {p.track.id for p in group_playlist(catalog, members("sad"), 5, recent=almost).picks} \
        == {1, 2}  # fmt: skip


def test_nobody_or_nothing_asked_for_gives_an_empty_list(catalog: CatalogIndex) -> None:
    assert group_playlist(catalog, [], 10).picks == []
    assert group_playlist(catalog, members("sad"), 0).picks == []
    assert group_playlist(CatalogIndex(()), members("sad"), 5).picks == []


@pytest.mark.parametrize(
    "bad",
    [
        np.full(21, np.nan), -mood("sad"), np.zeros(21), np.ones(20), "sad",
        np.full(21, np.inf),
    ],
)  # fmt: skip
def test_malformed_moods_are_refused(catalog: CatalogIndex, bad: object) -> None:
    with pytest.raises(GroupError):
        group_playlist(catalog, [Member(mood("sad")), Member(bad)], 5)  # type: ignore[arg-type]


def test_an_unknown_strategy_is_refused(catalog: CatalogIndex) -> None:
    with pytest.raises(GroupError, match="fair, average, least-misery"):
        group_playlist(catalog, members("sad"), 5, "loudest")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "primary"),
    [("zh-hans", "zh"), ("en_US", "en"), ("PT-br", "pt"), (None, ""), ("", ""), (" ja ", "ja")],
)
def test_primary_language(code: str | None, primary: str) -> None:
    assert primary_language(code) == primary
