"""Offers and thumbs: recorded in order, the recent window, one changeable vote each."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from moodtune.emotion import EmotionVector
from moodtune.storage import feedback, persons, recommendations, tracks
from moodtune.storage.feedback import FeedbackError
from moodtune.storage.recommendations import RecommendationError

CALM = EmotionVector.from_scores({"PE": 2.0, "PG": 1.0})


async def _setup(session_factory, make_track_row, n_tracks: int = 6) -> tuple[int, int, list[int]]:
    async with session_factory() as session, session.begin():
        await tracks.add_many(session, [make_track_row(f"T{i}") for i in range(n_tracks)])
        ids = [int(i) for i in (await tracks.load_matrix(session))[0]]
        ann = await persons.get_or_create(session, "telegram", "1", "Ann")
        bo = await persons.get_or_create(session, "telegram", "2", "Bo")
    return ann.id, bo.id, ids


async def _offer(
    session_factory, person_id: int, track_ids: Sequence[int], mode="match"
) -> list[int]:
    offers = [(t, rank, rank / 10) for rank, t in enumerate(track_ids, 1)]
    async with session_factory() as session, session.begin():
        rows = await recommendations.record_offers(session, person_id, offers, CALM, mode, -1001)
    return [r.id for r in rows]


async def test_offers_are_recorded_in_order_with_their_mood(
    session_factory, make_track_row
) -> None:
    ann, _, ids = await _setup(session_factory, make_track_row)
    rec_ids = await _offer(session_factory, ann, ids[:3], mode="lift")
    assert rec_ids == sorted(rec_ids)
    async with session_factory() as session:
        stored = [await recommendations.get(session, r) for r in rec_ids]
    assert [(r.track_id, r.rank, r.mode, r.chat_id) for r in stored] == [
        (ids[0], 1, "lift", "-1001"), (ids[1], 2, "lift", "-1001"), (ids[2], 3, "lift", "-1001")
    ]  # fmt: skip
    np.testing.assert_allclose(stored[0].mood, CALM.values, rtol=1e-6)
    assert stored[1].distance == pytest.approx(0.2)


async def test_bad_offers_are_refused(session_factory, make_track_row) -> None:
    ann, _, ids = await _setup(session_factory, make_track_row)
    async with session_factory() as session:
        with pytest.raises(RecommendationError, match="unknown mode"):
            await recommendations.record_offers(session, ann, [(ids[0], 1, 0.1)], CALM, "random")
        with pytest.raises(RecommendationError, match="finite"):
            await recommendations.record_offers(
                session, ann, [(ids[0], 1, float("nan"))], CALM, "match"
            )
        assert await recommendations.record_offers(session, ann, [], CALM, "match") == []


async def test_recent_track_ids_is_a_window_over_this_persons_last_offers_oldest_first(
    session_factory, make_track_row
) -> None:
    ann, bo, ids = await _setup(session_factory, make_track_row)
    for track in ids:  # one offer at a time, oldest first
        await _offer(session_factory, ann, [track])
    await _offer(session_factory, bo, ids[:2])
    async with session_factory() as session:
        assert await recommendations.recent_track_ids(session, ann, 3) == ids[-3:]
        assert await recommendations.recent_track_ids(session, ann, 100) == ids
        assert await recommendations.recent_track_ids(session, ann, 0) == []
        assert await recommendations.recent_track_ids(session, bo, 200) == ids[:2]


async def test_a_vote_is_idempotent_and_changeable(session_factory, make_track_row) -> None:
    ann, _, ids = await _setup(session_factory, make_track_row)
    rec = (await _offer(session_factory, ann, ids[:1]))[0]
    async with session_factory() as session, session.begin():
        first = await feedback.vote(session, ann, rec, 1)
    async with session_factory() as session, session.begin():
        again = await feedback.vote(session, ann, rec, 1)
    assert (again.id, again.value, again.updated_at) == (first.id, 1, first.updated_at)
    async with session_factory() as session, session.begin():
        changed = await feedback.vote(session, ann, rec, -1)
    assert (changed.id, changed.value, changed.track_id) == (first.id, -1, ids[0])
    assert changed.updated_at > first.updated_at
    async with session_factory() as session:
        assert await feedback.votes(session, ann) == [(ids[0], -1)]


async def test_a_double_tap_in_parallel_leaves_one_vote(session_factory, make_track_row) -> None:
    import asyncio

    ann, _, ids = await _setup(session_factory, make_track_row)
    rec = (await _offer(session_factory, ann, ids[:1]))[0]

    async def tap(value: int) -> int:
        async with session_factory() as session, session.begin():
            return (await feedback.vote(session, ann, rec, value)).id

    assert len(set(await asyncio.gather(tap(1), tap(1), tap(-1)))) == 1
    async with session_factory() as session:
        assert len(await feedback.votes(session, ann)) == 1


@pytest.mark.parametrize("value", [0, 2, -2, True, 0.5])
async def test_a_vote_must_be_plus_or_minus_one(session_factory, make_track_row, value) -> None:
    ann, _, ids = await _setup(session_factory, make_track_row)
    rec = (await _offer(session_factory, ann, ids[:1]))[0]
    async with session_factory() as session:
        with pytest.raises(FeedbackError, match=r"\+1 or -1"):
            await feedback.vote(session, ann, rec, value)


async def test_votes_on_missing_or_someone_elses_recommendations_are_refused(
    session_factory, make_track_row
) -> None:
    ann, bo, ids = await _setup(session_factory, make_track_row)
    rec = (await _offer(session_factory, ann, ids[:1]))[0]
    async with session_factory() as session:
        with pytest.raises(FeedbackError, match="does not exist"):
            await feedback.vote(session, ann, rec + 1000, 1)
        with pytest.raises(FeedbackError, match="someone else"):
            await feedback.vote(session, bo, rec, 1)
        assert await feedback.votes(session, bo) == []


async def test_likes_and_dislikes_add_up_per_track(session_factory, make_track_row) -> None:
    ann, bo, ids = await _setup(session_factory, make_track_row)
    recs = await _offer(session_factory, ann, [ids[0], ids[1], ids[2], ids[0], ids[3]])
    bo_recs = await _offer(session_factory, bo, [ids[4]])
    async with session_factory() as session, session.begin():
        await feedback.vote(session, ann, recs[0], 1)  # T0 liked twice
        await feedback.vote(session, ann, recs[3], 1)
        await feedback.vote(session, ann, recs[1], -1)  # T1 disliked
        await feedback.vote(session, ann, recs[2], 1)  # T2 liked, then ...
        await feedback.vote(session, ann, recs[4], 1)  # T3 liked last
        await feedback.vote(session, bo, bo_recs[0], -1)
    async with session_factory() as session, session.begin():
        await feedback.vote(session, ann, recs[2], -1)  # ... T2 changed to a dislike
    async with session_factory() as session:
        assert await feedback.disliked_track_ids(session, ann) == {ids[1], ids[2]}
        liked = await feedback.liked_tracks(session, ann)
        assert [t.title for t in liked] == ["T3", "T0"]
        assert await feedback.disliked_track_ids(session, bo) == {ids[4]}
        assert await feedback.liked_tracks(session, bo) == []
