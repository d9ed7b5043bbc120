"""People: each person's state read once and kept current by the bot; the cache's bounds,
re-reads, and what votes, /mode and /forget do to the memory and to the crowd prior."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from sqlalchemy import delete, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.config import Settings
from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.reading import Reading
from moodtune.recommender.for_person import recommend_for_person
from moodtune.recommender.load import load_catalog
from moodtune.recommender.people import People
from moodtune.recommender.person_state import PersonState
from moodtune.recommender.ranking import Pick
from moodtune.recommender.tracks import CatalogIndex
from moodtune.storage import feedback, moods, persons, recommendations, tracks
from moodtune.storage.models import Person, Recommendation

Sessions = async_sessionmaker[AsyncSession]
MOODS = {"sad": {"NB": 0.7, "PF": 0.3}, "joy": {"PA": 0.8, "PB": 0.2}, "calm": {"PE": 1.0}}


def reading(name: str) -> Reading:
    return Reading(EmotionVector.from_scores(MOODS[name]), 0.8, modality="text", engine="test")


@pytest.fixture
async def catalog(session_factory: Sessions) -> CatalogIndex:
    """8 tracks per mood by 4 artists, vectors near the mood."""
    rng = np.random.default_rng(5)
    rows = []
    for name, scores in MOODS.items():
        for i in range(8):
            vector = EmotionVector.from_scores(scores).values + rng.uniform(0, 0.02, 21)
            rows.append({"title": f"{name} {i}", "artists": [f"{name} artist {i % 4}"],
                         "vector": vector / vector.sum()})  # fmt: skip
    async with session_factory() as session, session.begin():
        await tracks.add_many(session, rows)
    return await load_catalog(session_factory)


@contextmanager
def _statements(sessions: Sessions) -> Iterator[list[str]]:
    """The SQL sent through the sessions' engine while the block runs."""
    engine = sessions.kw["bind"].sync_engine
    seen: list[str] = []

    def listener(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


async def _message(
    people: People, state: PersonState, catalog: CatalogIndex, name: str = "sad"
) -> list[tuple[int, Pick]]:
    """What the bot does with a message read as `name`: store its mood, offer tracks."""
    answer = await recommend_for_person(
        people, state, reading(name), catalog, people.settings, rng=np.random.default_rng(0)
    )
    return answer.picks


async def _vote(people: People, user: str, state: PersonState, rec_id: int, value: int) -> int:
    """A thumb stored through People, the one owner of a person's state; the track voted on."""
    return await people.vote("local", user, rec_id, value)


async def test_a_person_is_read_once(session_factory: Sessions) -> None:
    people = People(session_factory, Settings())
    with _statements(session_factory) as statements:
        first = await people.get("telegram", 1, "Ann")
        assert statements
        statements.clear()
        assert await people.get("telegram", "1", "Ann") is first
        assert await people.get("telegram", 1) is first  # no name given: nothing to save
    assert statements == []


async def test_concurrent_first_messages_share_one_read(session_factory: Sessions) -> None:
    people = People(session_factory, Settings())
    with _statements(session_factory) as one_read:
        await people.get("local", "bo")
    with _statements(session_factory) as statements:
        states = await asyncio.gather(*(people.get("local", "cy") for _ in range(20)))
    assert all(state is states[0] for state in states)
    assert len(statements) == len(one_read)
    async with session_factory() as session:
        query = select(func.count()).where(Person.platform_user_id == "cy")
        assert await session.scalar(query) == 1


async def test_what_the_bot_wrote_survives_a_re_read(
    session_factory: Sessions, catalog: CatalogIndex
) -> None:
    people = People(session_factory, Settings())
    state = await people.get("local", "ann")
    first = await _message(people, state, catalog, "sad")
    second = await _message(people, state, catalog, "joy")
    hated = await _vote(people, "ann", state, first[0][0], -1)
    assert state.votes == [(hated, -1)] and hated in state.taste(catalog).disliked
    assert list(state.recent) == [p.track.id for _, p in first + second]
    assert len(state.moods) == 2

    people.drop_state(state)
    fresh = await people.get("local", "ann")
    assert fresh is not state
    assert (fresh.id, fresh.mode, fresh.votes) == (state.id, state.mode, state.votes)
    assert list(fresh.recent) == list(state.recent)
    assert [(m.kind, m.modality, m.created_at) for m in fresh.moods] == [
        (m.kind, m.modality, m.created_at) for m in state.moods
    ]
    for kept, read in zip(state.moods, fresh.moods, strict=True):
        np.testing.assert_allclose(read.vector, kept.vector, atol=1e-7)
        assert read.confidence == pytest.approx(kept.confidence)


async def test_mode_votes_and_forgetting_update_the_memory_and_the_crowd(
    session_factory: Sessions, catalog: CatalogIndex
) -> None:
    people = People(session_factory, Settings())
    ann = await people.get("local", "ann")
    assert await people.mode("local", "ann", "lift") == "lift"
    assert ann.mode == "lift"
    assert await people.mode("local", "ann") == "lift"  # asked, not changed
    async with session_factory() as session:
        stored = await persons.get(session, "local", "ann")
        assert stored is not None and stored.mode == "lift"
    picked = await _message(people, ann, catalog)
    async with session_factory() as session:
        modes = await session.scalars(select(Recommendation.mode))
        assert set(modes) == {"lift"}

    rec_id, pick = picked[0]
    track, answered = pick.track.id, EmotionVector(pick.mood.values)  # type: ignore[union-attr]
    await _vote(people, "ann", ann, rec_id, -1)
    assert ann.votes == [(track, -1)]
    # Bo likes the same track: the crowd counts both thumbs.
    bo = await people.get("local", "bo")
    async with session_factory() as session, session.begin():
        [offer] = await recommendations.record_offers(session, bo.id, [(track, 1, 0.1)],
                                                      answered, "match")  # fmt: skip
    await _vote(people, "bo", bo, offer.id, 1)
    up, down = people.crowd.prior.counts([track], answered)
    assert up[0] > 0.99 and down[0] > 0.99

    assert await people.forget("local", "ann") is not None
    assert await people.forget("local", "ann") is None  # nothing left to erase
    up, down = people.crowd.prior.counts([track], answered)
    assert up[0] > 0.99 and down[0] == 0  # Ann's thumb is gone, Bo's stays
    again = await people.get("local", "ann")
    assert again is not ann
    assert (again.mode, again.moods, again.votes, list(again.recent)) == ("auto", [], [], [])


async def test_the_crowd_loads_a_track_once_and_re_reads_after_a_vote_or_its_bound(
    session_factory: Sessions, catalog: CatalogIndex
) -> None:
    people = People(session_factory, Settings())
    ann = await people.get("local", "ann")
    rec_id, pick = (await _message(people, ann, catalog))[0]
    track, answered = pick.track.id, EmotionVector(pick.mood.values)  # type: ignore[union-attr]
    with _statements(session_factory) as statements:
        await people.crowd.prior_for([track])
    assert statements == []  # loaded while ranking the message's candidates
    async with session_factory() as session, session.begin():  # another process votes
        await feedback.vote(session, ann.id, rec_id, 1)
    await people.crowd.prior_for([track])
    assert people.crowd.prior.counts([track], answered)[0][0] == 0  # not seen yet
    people.crowd.max_age = 0.0  # the staleness bound has passed
    await people.crowd.prior_for([track])
    assert people.crowd.prior.counts([track], answered)[0][0] > 0.99
    people.crowd.max_age = 300.0
    await people.vote("local", "ann", rec_id, -1)  # a vote here is seen at once
    up, down = people.crowd.prior.counts([track], answered)
    assert up[0] == 0 and down[0] > 0.99


async def test_the_cache_keeps_the_most_recently_seen(session_factory: Sessions) -> None:
    people = People(session_factory, Settings(person_cache_size=2))
    a, b = await people.get("local", "a"), await people.get("local", "b")
    assert await people.get("local", "a") is a  # now b is the least recently seen
    c = await people.get("local", "c")
    with _statements(session_factory) as statements:
        assert await people.get("local", "a") is a
        assert await people.get("local", "c") is c
    assert statements == []
    assert await people.get("local", "b") is not b


async def test_an_expired_state_is_read_again_unless_writes_are_in_flight(
    session_factory: Sessions,
) -> None:
    people = People(session_factory, Settings(person_cache_seconds=0))
    state = await people.get("local", "ann")
    async with session_factory() as session, session.begin():  # another process's write
        await moods.record(session, state.id, EmotionVector.from_scores(MOODS["joy"]), 0.9, "text")
    state.writing += 1
    assert await people.get("local", "ann") is state  # its own rows may not be stored yet
    state.writing -= 1
    fresh = await people.get("local", "ann")
    assert fresh is not state and [m.confidence for m in fresh.moods] == [pytest.approx(0.9)]


async def test_a_new_display_name_is_saved(session_factory: Sessions) -> None:
    people = People(session_factory, Settings())
    first = await people.get("telegram", 5, "Ann")
    assert await people.get("telegram", 5, "  Ann ") is first  # the same name, once cleaned
    renamed = await people.get("telegram", 5, "Ann   Lee")
    assert renamed is not first and (renamed.id, renamed.display_name) == (first.id, "Ann Lee")
    async with session_factory() as session:
        assert (await session.get(Person, first.id)).display_name == "Ann Lee"  # type: ignore[union-attr]


async def test_a_failed_write_drops_the_state(
    session_factory: Sessions, catalog: CatalogIndex
) -> None:
    people = People(session_factory, Settings())
    state = await people.get("local", "ann")
    await _message(people, state, catalog)
    async with session_factory() as session, session.begin():  # behind the bot's back
        await session.execute(delete(Person).where(Person.id == state.id))
    with pytest.raises(IntegrityError):
        await _message(people, state, catalog)
    assert state.writing == 0
    fresh = await people.get("local", "ann")
    assert fresh is not state and (fresh.moods, list(fresh.recent)) == ([], [])
    assert len(await _message(people, fresh, catalog)) == 5  # and the bot goes on


async def test_a_person_being_stored_is_neither_evicted_nor_re_read(
    session_factory: Sessions,
) -> None:
    people = People(session_factory, Settings(person_cache_size=1))
    ann = await people.get("telegram", 1, "Ann")
    ann.writing += 1  # one of Ann's messages is being stored
    bo = await people.get("telegram", 2, "Bo")
    assert await people.get("telegram", 1, "Ann Lee") is ann  # kept, and not re-read yet
    ann.writing -= 1
    assert await people.get("telegram", 2, "Bo") is bo
    assert await people.get("telegram", 1, "Ann Lee") is not ann  # now the name is saved


async def test_forgetting_during_a_first_read_keeps_nothing_in_memory(
    session_factory: Sessions,
) -> None:
    people = People(session_factory, Settings())
    reading_ann = asyncio.create_task(people.get("local", "ann"))
    await asyncio.sleep(0)  # the read has started
    await people.forget("local", "ann")
    first = await reading_ann
    assert await people.get("local", "ann") is not first  # read afresh, not the old one
