from collections import Counter

import numpy as np
import pytest

from moodtune.emotion import INDEX, EmotionVector
from moodtune.recommender import modes
from moodtune.recommender.prior import GlobalPrior
from moodtune.recommender.ranking import (
    MESSAGE_LANGUAGE,
    PERSON_LANGUAGE,
    Listener,
    candidate_ids,
    candidates,
    recommend,
    rerank,
)
from moodtune.recommender.taste import Taste
from moodtune.recommender.tracks import CatalogIndex, TrackInfo


def vec(**scores: float) -> np.ndarray:
    return EmotionVector.from_scores(scores).values


SAD = EmotionVector.from_scores({"NB": 0.7, "PF": 0.3})
JOY = EmotionVector.from_scores({"PA": 0.8, "PB": 0.2})
GLOOMY = EmotionVector.from_scores({"NJ": 0.6, "NB": 0.4})  # another sad mood


@pytest.fixture
def catalog() -> CatalogIndex:
    tracks = [
        TrackInfo(1, "Rainy Night", ("A",), vec(NB=0.7, PF=0.3), ("sad", "rainy"), "folk"),
        TrackInfo(2, "Grey Sky", ("A",), vec(NB=0.65, PF=0.35), ("sad",), "folk"),
        TrackInfo(3, "Old Letters", ("A",), vec(NB=0.6, PF=0.4), ("nostalgic",), "folk"),
        TrackInfo(4, "Far Away", ("B",), vec(NB=0.5, PF=0.5), ("longing",), "jazz"),
        TrackInfo(5, "Tears", ("C",), vec(NB=0.6, PF=0.25, NJ=0.15), ("sad",), "pop"),
        TrackInfo(6, "Sunshine", ("D",), vec(PA=1.0), ("happy",), "pop"),
        TrackInfo(7, "Party", ("D",), vec(PA=0.7, PC=0.3), ("upbeat",), "pop"),
        TrackInfo(8, "Silent", ("E",), np.zeros(21), ()),
    ]
    return CatalogIndex(tracks)


@pytest.fixture
def wide_catalog() -> CatalogIndex:
    """300 tracks by 100 artists in 5 genres, vectors spread over the simplex."""
    rng = np.random.default_rng(5)
    genres = ("pop", "rock", "folk", "jazz", "metal")
    return CatalogIndex(
        TrackInfo(i, f"T{i}", (f"Artist {i % 100}",), rng.dirichlet(np.full(21, 0.3)),
                  (), genres[i % 5])
        for i in range(1, 301)
    )  # fmt: skip


@pytest.fixture
def sad_catalog() -> CatalogIndex:
    """200 sad tracks by 100 artists, all about as close to SAD: a long tail of equals."""
    rng = np.random.default_rng(6)
    return CatalogIndex(
        TrackInfo(i, f"T{i}", (f"Artist {i % 100}",), SAD.values + rng.uniform(0, 0.04, 21))
        for i in range(1, 201)
    )


def ids(picks) -> list[int]:
    return [p.track.id for p in picks]


def test_nearest_tracks_first_with_a_reason(catalog: CatalogIndex) -> None:
    picks = recommend(catalog, SAD, 3)
    assert ids(picks)[0] == 1
    assert picks[0].distance == pytest.approx(0.0, abs=1e-6)
    assert "sorrow" in picks[0].why
    assert picks[0].mood == SAD
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


def test_a_disliked_genre_sinks_and_a_loved_one_rises(catalog: CatalogIndex) -> None:
    sinking = Taste.from_votes([(catalog.tracks[6], -1), (catalog.tracks[7], -1)] * 3)
    assert sinking.genre_affinity(catalog.tracks[5]) < 0  # pop
    assert ids(recommend(catalog, SAD, 5, taste=sinking, max_per_artist=4))[-1] == 5
    rising = Taste.from_votes([(catalog.tracks[4], +1), (catalog.tracks[6], -1)] * 3)
    picks = recommend(catalog, SAD, 5, taste=rising, max_per_artist=4)
    assert ids(picks)[0] == 1 and "you liked B" not in picks[0].why  # 4 itself: liked, B loved
    assert rising.artist_affinity(catalog.tracks[4]) > 0.3


def test_liked_tags_rise_and_change_of_heart_counts(catalog: CatalogIndex) -> None:
    taste = Taste.from_votes([(catalog.tracks[3], +1)])
    assert taste.tag_affinity(catalog.tracks[3]) > 0
    changed = Taste.from_votes([(catalog.tracks[3], +1), (catalog.tracks[3], -2)])
    assert 3 in changed.disliked and 3 not in changed.liked


def test_taste_is_relative_to_how_often_the_person_likes_anything(catalog: CatalogIndex) -> None:
    grumpy = Taste.from_votes([(catalog.tracks[t], -1) for t in (1, 2, 3, 6, 7)])
    assert grumpy.base_rate == pytest.approx(1 / 7)
    assert grumpy.artist_affinity(catalog.tracks[4]) == 0  # never rated: no opinion
    assert grumpy.artist_affinity(catalog.tracks[1]) < 0
    assert Taste().rated_effects == {}


def test_zero_mood_and_chinese_reasons(catalog: CatalogIndex) -> None:
    assert recommend(catalog, EmotionVector.zero(), 3) == []
    assert recommend(catalog, SAD, 0) == []
    picks = recommend(catalog, SAD, 1, language="zh")
    assert "悲伤" in picks[0].why
    assert INDEX["NB"] == 8


def test_the_catalog_running_out_gives_fewer_tracks(catalog: CatalogIndex) -> None:
    picks = recommend(catalog, SAD, 10, recent={1, 2, 3})
    assert sorted(ids(picks)) == [4, 5, 6, 7]
    assert len(recommend(catalog, SAD, 10**12, mode="lift", max_per_artist=9)) == 7


def _crowd(track: int, mood: EmotionVector, ups: int, downs: int = 0) -> GlobalPrior:
    return GlobalPrior.from_thumbs(
        [(track, mood.values, +1)] * ups + [(track, mood.values, -1)] * downs
    )


def _thumbs(mood: EmotionVector) -> GlobalPrior:
    """Track 5 liked 20 times in `mood`, where sad people disliked the joyful songs."""
    liked = [(5, mood.values, +1)] * 20
    return GlobalPrior.from_thumbs([*liked, *[(t, SAD.values, -1) for t in (6, 7)] * 20])


def test_tracks_others_liked_in_a_similar_mood_rise(catalog: CatalogIndex) -> None:
    plain = ids(recommend(catalog, SAD, 5, max_per_artist=4))
    assert plain.index(5) == 3
    liked = recommend(catalog, SAD, 5, max_per_artist=4, prior=_thumbs(GLOOMY))
    assert ids(liked).index(5) < plain.index(5)
    assert "liked by others in this mood" in next(p.why for p in liked if p.track.id == 5)
    # The same thumbs given in a joyful mood say nothing about a sad one.
    elsewhere = ids(recommend(catalog, SAD, 5, max_per_artist=4, prior=_thumbs(JOY)))
    assert elsewhere == plain


def test_few_votes_count_little(catalog: CatalogIndex) -> None:
    ids_ = [1, 2, 3, 4, 5]
    one, many = _crowd(4, SAD, 1), _crowd(4, SAD, 30)
    assert one.effects(ids_, SAD, None)[3] < 0.5 * many.effects(ids_, SAD, None)[3]
    alpha, beta, _ = many.posterior(ids_, SAD)
    assert alpha[3] + beta[3] == pytest.approx(30 + 8)  # 30 votes and the prior's 8
    assert GlobalPrior().effects(ids_, SAD, None).tolist() == [0.0] * 5


def test_without_rng_the_same_mood_gets_the_same_tracks(wide_catalog: CatalogIndex) -> None:
    first = ids(recommend(wide_catalog, SAD, 5))
    assert all(ids(recommend(wide_catalog, SAD, 5)) == first for _ in range(5))


def test_thompson_sampling_tries_the_long_tail(sad_catalog: CatalogIndex) -> None:
    rng = np.random.default_rng(1)
    nearest = ids(recommend(sad_catalog, SAD, 5))
    offered: Counter[int] = Counter()
    for _ in range(100):
        offered.update(ids(recommend(sad_catalog, SAD, 5, prior=GlobalPrior(), rng=rng)))
    assert len(offered) > 10 * len(nearest)  # far more of the catalog gets a turn
    # ... while closeness still matters: the nearest tracks come up more than most.
    assert np.mean([offered[t] for t in nearest]) > np.median(list(offered.values()))


def test_exploration_is_only_among_comparable_tracks(wide_catalog: CatalogIndex) -> None:
    rng = np.random.default_rng(3)
    far = set(ids(recommend(wide_catalog, SAD, 300, max_per_artist=300))[30:])
    for _ in range(50):
        assert not far & set(ids(recommend(wide_catalog, SAD, 5, rng=rng)))


def test_exploration_favours_tracks_known_to_please(sad_catalog: CatalogIndex) -> None:
    rng = np.random.default_rng(2)
    tenth = ids(recommend(sad_catalog, SAD, 10))[9]

    def picked(prior: GlobalPrior) -> int:
        return sum(tenth in ids(recommend(sad_catalog, SAD, 5, prior=prior, rng=rng))
                   for _ in range(100))  # fmt: skip

    assert picked(_crowd(tenth, SAD, 25, 1)) > 3 * picked(GlobalPrior())
    assert picked(_crowd(tenth, SAD, 1, 25)) == 0


def test_lift_mode_moves_step_by_step_toward_content(wide_catalog: CatalogIndex) -> None:
    picks = recommend(wide_catalog, SAD, 5, mode="lift")
    valences = [p.mood.valence_arousal()[0] for p in picks]
    assert valences == sorted(valences) and valences[0] == pytest.approx(SAD.valence_arousal()[0])
    assert picks[0].mood == SAD and "lifting, step 2/5" in picks[1].why
    track_valences = [EmotionVector(p.track.vector).valence_arousal()[0] for p in picks]
    assert track_valences[-1] > track_valences[0]
    assert len(set(ids(picks))) == 5


def test_candidates_are_shared_by_a_match_and_listed_once(wide_catalog: CatalogIndex) -> None:
    match = candidates(wide_catalog, modes.queries("match", SAD, 5), excluded={1, 2})
    assert all(s.track_ids is match[0].track_ids for s in match)  # one search, one pool
    assert candidate_ids(match) == match[0].track_ids.tolist()
    assert len(match[0].track_ids) == 100 and not {1, 2} & set(candidate_ids(match))
    steps = modes.queries("lift", SAD, 12)  # the last steps reach the target: equal moods
    lift = candidates(wide_catalog, steps)
    assert all(s.query is step for s, step in zip(lift, steps, strict=True))
    every = [t for s in lift for t in s.track_ids.tolist()]
    assert candidate_ids(lift) == list(dict.fromkeys(every))


def test_an_unrated_taste_and_an_empty_crowd_change_nothing(wide_catalog: CatalogIndex) -> None:
    slots = candidates(wide_catalog, modes.queries("lift", GLOOMY, 5))
    plain = rerank(wide_catalog, slots)
    unrated = Taste(base_rate=0.3)  # a person who rated nothing in this catalog
    same = rerank(wide_catalog, slots, unrated, GlobalPrior())
    assert [(p.track.id, p.score, p.why) for p in same] == [
        (p.track.id, p.score, p.why) for p in plain
    ]


@pytest.fixture
def bilingual_catalog() -> CatalogIndex:
    """120 sad tracks: 40 each in Chinese, English and Korean, by 60 artists, all about as
    near to SAD, Chinese ones a shade nearer (as in the demo catalog, heavy in Mandopop)."""
    rng = np.random.default_rng(8)
    tracks = []
    for i in range(1, 121):
        language = ("zh", "en", "ko")[i % 3]
        vector = SAD.values + rng.uniform(0, 0.12, 21) + (0.0 if language == "zh" else 0.01)
        tracks.append(
            TrackInfo(i, f"T{i}", (f"{language} artist {i % 20}",), vector, ("sad",), "pop",
                      language)
        )  # fmt: skip
    return CatalogIndex(tracks)


def languages(picks) -> list[str]:
    return [p.track.language for p in picks]


def test_the_message_s_language_leads_softly(bilingual_catalog: CatalogIndex) -> None:
    plain = recommend(bilingual_catalog, SAD, 5)
    english = recommend(bilingual_catalog, SAD, 5, listener=Listener.of("en"))
    chinese = recommend(bilingual_catalog, SAD, 5, listener=Listener.of("zh"))
    assert languages(plain).count("zh") >= 4  # nearest first: mostly Mandopop
    assert languages(english).count("en") >= 4
    assert languages(chinese).count("zh") >= 4
    # Softly: a song much nearer the mood in another language still comes first.
    near = TrackInfo(999, "Closest", ("ko artist x",), SAD.values, ("sad",), "pop", "ko")
    with_near = CatalogIndex([*bilingual_catalog.tracks.values(), near])
    assert recommend(with_near, SAD, 5, listener=Listener.of("en"))[0].track.id == 999


def test_the_person_s_language_leads_less_than_the_message_s() -> None:
    listener = Listener.of("en", "zh-Hans")
    assert listener.languages == {"en": MESSAGE_LANGUAGE, "zh": PERSON_LANGUAGE}
    both = Listener.of("zh", "zh-TW").languages  # the two agree: their leads add up
    assert both == {"zh": MESSAGE_LANGUAGE + PERSON_LANGUAGE}
    assert Listener.of(None, None).languages == {}


def test_thumbs_teach_a_person_s_own_language_mix(bilingual_catalog: CatalogIndex) -> None:
    korean = [t for t in bilingual_catalog.tracks.values() if t.language == "ko"][:6]
    chinese = [t for t in bilingual_catalog.tracks.values() if t.language == "zh"][:6]
    taste = Taste.from_votes([*((t, 1) for t in korean), *((t, -1) for t in chinese)])
    rated = {t.id for t in (*korean, *chinese)}
    picks = recommend(bilingual_catalog, SAD, 5, taste, recent=rated, listener=Listener.of("zh"))
    assert languages(picks).count("ko") >= 3  # they like Korean songs: more of them


def test_someone_who_disliked_every_track_in_their_language_still_gets_tracks(
    bilingual_catalog: CatalogIndex,
) -> None:
    chinese = [t for t in bilingual_catalog.tracks.values() if t.language == "zh"]
    taste = Taste.from_votes((t, -1) for t in chinese)
    picks = recommend(bilingual_catalog, SAD, 5, taste, listener=Listener.of("zh", "zh"))
    assert len(picks) == 5 and "zh" not in languages(picks)


def test_no_artist_of_the_last_replies_unless_liked(sad_catalog: CatalogIndex) -> None:
    first = recommend(sad_catalog, SAD, 5)
    heard = {a for p in first for a in p.track.artists}
    listener = Listener.of(recent_artists=heard)
    again = recommend(sad_catalog, SAD, 5, recent=ids(first), listener=listener)
    assert heard.isdisjoint(a for p in again for a in p.track.artists)
    liked = first[0].track.artists[0]
    taste = Taste.from_votes([(first[0].track, 1), (first[1].track, -1)])
    with_liked = recommend(
        sad_catalog, SAD, 5, taste, recent=ids(first), listener=listener, max_per_artist=2
    )
    assert liked in {a for p in with_liked for a in p.track.artists}


def test_a_rested_artist_comes_back_rather_than_no_track(catalog: CatalogIndex) -> None:
    # Every sad track is by A, B or C: with all three resting, they still answer.
    listener = Listener.of(recent_artists={"A", "B", "C", "D"})
    picks = recommend(catalog, SAD, 3, listener=listener)
    assert len(picks) == 3


def test_why_lines_and_tags_in_the_reply_s_language(catalog: CatalogIndex) -> None:
    zh = recommend(catalog, SAD, 1, language="zh")[0].why
    assert zh.startswith("契合你的悲伤") and "悲伤" in zh.split(" · ")[1]  # the tag "sad"
    assert recommend(catalog, SAD, 1, language="en")[0].why.split(" · ")[1] == "sad, rainy"


def test_a_response_names_the_feeling_it_answers(wide_catalog: CatalogIndex) -> None:
    anxious = EmotionVector.from_scores({"NI": 1.0})
    picks = recommend(wide_catalog, anxious, 3, mode="auto")
    assert all(p.why.startswith("to ease your panic") for p in picks)
    zh = recommend(wide_catalog, anxious, 1, mode="auto", language="zh")[0].why
    assert zh.startswith("缓解你的慌")
    angry = recommend(wide_catalog, EmotionVector.from_scores({"NA": 1.0}), 1, mode="auto")
    assert angry[0].why.startswith("to let your anger out")
