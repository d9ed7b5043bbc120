"""Groups in storage: a member's moods in one chat, the room's offers, votes that count for
the voter, forgetting, and the migration that adds them (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from alembic import command
from sqlalchemy import Connection, func, select, text

from moodtune.emotion import DIM, EmotionVector
from moodtune.storage import feedback, moods, persons, room_offers, thumbs, tracks
from moodtune.storage.db import alembic_config, make_engine, upgrade
from moodtune.storage.models import Feedback, MoodReading, Recommendation, RoomOffer, RoomVote
from moodtune.storage.room_offers import Offer, RoomOfferError
from moodtune.storage.types import vector_to_bytes

NOW = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
SAD = EmotionVector.from_scores({"NB": 0.7, "PF": 0.3})
JOY = EmotionVector.from_scores({"PA": 0.8, "PB": 0.2})
GROUP, OTHER_GROUP = "-1001", "-1002"


async def _setup(session_factory, make_track_row) -> tuple[dict[str, int], list[int]]:
    async with session_factory() as session, session.begin():
        await tracks.add_many(session, [make_track_row(f"T{i}") for i in range(6)])
        ids = [int(i) for i in (await tracks.load_matrix(session))[0]]
        people = {
            name: (await persons.get_or_create(session, platform, user, name)).id
            for name, platform, user in (
                ("ann", "telegram", "1"), ("bo", "telegram", "2"), ("cy", "discord", "1"),
            )
        }  # fmt: skip
    return people, ids


async def _mood(session_factory, person: int, vector, chat: str | None, at: datetime) -> None:
    async with session_factory() as session, session.begin():
        await moods.record(session, person, vector, 0.8, "text", chat_id=chat, at=at)


async def test_a_groups_moods_are_what_was_said_there_only(session_factory, make_track_row):
    people, _ = await _setup(session_factory, make_track_row)
    ann, bo, cy = people["ann"], people["bo"], people["cy"]
    await _mood(session_factory, ann, SAD, GROUP, NOW - timedelta(hours=2))
    await _mood(session_factory, ann, JOY, "1", NOW - timedelta(hours=1))  # private chat
    await _mood(session_factory, ann, JOY, OTHER_GROUP, NOW)  # another group
    await _mood(session_factory, bo, JOY, GROUP, NOW - timedelta(hours=1))
    await _mood(session_factory, bo, SAD, GROUP, NOW - timedelta(days=3))  # too old
    await _mood(session_factory, cy, SAD, GROUP, NOW)  # the same chat id on Discord
    async with session_factory() as session:
        found = await moods.in_chat(session, "telegram", GROUP, NOW - timedelta(days=1))
        only_bo = await moods.in_chat(
            session, "telegram", GROUP, NOW - timedelta(days=1), person_id=bo
        )
        newest = await moods.in_chat(session, "telegram", GROUP, NOW - timedelta(days=9), limit=1)
    assert [(m.person_id, m.user_id, m.display_name) for m in found] == [
        (ann, "1", "ann"), (bo, "2", "bo")
    ]  # fmt: skip
    np.testing.assert_allclose(found[0].vector, SAD.values, rtol=1e-6)
    assert [m.person_id for m in only_bo] == [bo]
    assert [m.created_at for m in newest] == [NOW - timedelta(hours=1)]


async def test_a_member_who_left_loses_their_moods_there_only(session_factory, make_track_row):
    people, _ = await _setup(session_factory, make_track_row)
    ann = people["ann"]
    for chat in (GROUP, GROUP, OTHER_GROUP, None):
        await _mood(session_factory, ann, SAD, chat, NOW)
    async with session_factory() as session, session.begin():
        assert await moods.forget_in_chat(session, ann, GROUP) == 2
    async with session_factory() as session:
        left = (await session.scalars(select(MoodReading.chat_id))).all()
    assert sorted(left, key=str) == sorted([OTHER_GROUP, None], key=str)


async def _playlist(session_factory, ids, for_person, chat=GROUP, platform="telegram") -> list:
    async with session_factory() as session, session.begin():
        offers = [Offer(t, for_person) for t in ids]
        return [o.id for o in await room_offers.record(session, platform, chat, offers, "fair")]


async def test_room_offers_and_the_groups_window(session_factory, make_track_row):
    people, ids = await _setup(session_factory, make_track_row)
    first = await _playlist(session_factory, ids[:3], people["ann"])
    await _playlist(session_factory, ids[3:5], None)
    await _playlist(session_factory, ids[5:], None, chat=OTHER_GROUP)
    await _playlist(session_factory, ids[5:], None, platform="discord")
    async with session_factory() as session:
        window = await room_offers.recent_track_ids(session, "telegram", GROUP, 4)
        assert await room_offers.recent_track_ids(session, "telegram", GROUP, 0) == []
        stored = await session.get(RoomOffer, first[1])
    assert window == ids[1:5]
    assert (stored.rank, stored.strategy, stored.for_person_id) == (2, "fair", people["ann"])
    async with session_factory() as session:
        with pytest.raises(ValueError, match="unknown strategy"):
            await room_offers.record(session, "telegram", GROUP, [Offer(ids[0], None)], "loud")


async def test_a_vote_on_a_room_offer_counts_for_the_voter_only(session_factory, make_track_row):
    people, ids = await _setup(session_factory, make_track_row)
    ann, bo = people["ann"], people["bo"]
    offer = (await _playlist(session_factory, ids[:2], ann))[0]
    async with session_factory() as session, session.begin():
        up = await room_offers.vote(session, bo, offer, 1, "telegram", GROUP, JOY.values)
        again = await room_offers.vote(session, bo, offer, 1, "telegram", GROUP, JOY.values)
        assert again.id == up.id
        down = await room_offers.vote(session, ann, offer, -1, "telegram", GROUP)
    async with session_factory() as session:
        assert await feedback.votes(session, bo) == [(ids[0], 1)]
        assert await feedback.votes(session, ann) == [(ids[0], -1)]
        own = await session.get(Recommendation, up.recommendation_id)
        crowd = await thumbs.in_moods(session, [ids[0]])
    assert (own.person_id, own.chat_id, own.track_id) == (bo, GROUP, ids[0])
    assert down.recommendation_id != up.recommendation_id
    voted_in = {value: mood for _, mood, value in crowd}
    # Bo voted feeling joy; Ann's mood there was unknown: the track's own is recorded.
    np.testing.assert_allclose(voted_in[1], JOY.values, atol=1e-6)
    np.testing.assert_allclose(voted_in[-1], make_track_row("T0")["vector"], atol=1e-6)


async def test_a_vote_is_changeable_and_refused_from_elsewhere(session_factory, make_track_row):
    people, ids = await _setup(session_factory, make_track_row)
    bo = people["bo"]
    offer = (await _playlist(session_factory, ids[:1], None))[0]
    async with session_factory() as session, session.begin():
        await room_offers.vote(session, bo, offer, 1, "telegram", GROUP)
        changed = await room_offers.vote(session, bo, offer, -1, "telegram", GROUP)
        assert changed.value == -1
        for platform, chat, target in (
            ("telegram", OTHER_GROUP, offer), ("discord", GROUP, offer),
            ("telegram", GROUP, offer + 1000),
        ):  # fmt: skip
            with pytest.raises(RoomOfferError):
                await room_offers.vote(session, bo, target, 1, platform, chat)
        with pytest.raises(feedback.FeedbackError, match="vote is"):
            await room_offers.vote(session, bo, offer, 2, "telegram", GROUP)
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Feedback)) == 1


async def test_two_members_pressing_at_once_and_one_pressing_twice(session_factory, make_track_row):
    people, ids = await _setup(session_factory, make_track_row)
    offer = (await _playlist(session_factory, ids[:1], None))[0]

    async def press(person: int, value: int) -> int:
        async with session_factory() as session, session.begin():
            return (await room_offers.vote(session, person, offer, value, "telegram", GROUP)).id

    await asyncio.gather(press(people["ann"], 1), press(people["bo"], -1))
    await asyncio.gather(*(press(people["bo"], 1) for _ in range(4)))
    async with session_factory() as session:
        rows = (await session.execute(select(Feedback.person_id, Feedback.value))).all()
        links = await session.scalar(select(func.count()).select_from(RoomVote))
        offers = await session.scalar(select(func.count()).select_from(Recommendation))
    assert sorted(rows) == sorted([(people["ann"], 1), (people["bo"], 1)])
    assert links == offers == 2  # one own offer per voter, however many presses


async def test_forget_removes_a_member_from_every_group_and_keeps_the_rooms(
    session_factory, make_track_row
):
    people, ids = await _setup(session_factory, make_track_row)
    ann, bo = people["ann"], people["bo"]
    for chat in (GROUP, OTHER_GROUP, "1"):
        await _mood(session_factory, ann, SAD, chat, NOW)
    await _mood(session_factory, bo, JOY, GROUP, NOW)
    offers = await _playlist(session_factory, ids[:2], ann)
    async with session_factory() as session, session.begin():
        await room_offers.vote(session, ann, offers[0], 1, "telegram", GROUP)
        await room_offers.vote(session, bo, offers[0], 1, "telegram", GROUP)
    async with session_factory() as session, session.begin():
        erased = await persons.forget(session, ann)
    assert erased == 3 + 1 + 1 + 1 + 1  # moods, own offer, thumb, room vote, the person
    async with session_factory() as session:
        in_groups = await moods.in_chat(session, "telegram", GROUP, NOW - timedelta(days=1))
        named = (await session.scalars(select(RoomOffer.for_person_id))).all()
        assert await feedback.votes(session, bo) == [(ids[0], 1)]
    assert [m.person_id for m in in_groups] == [bo]
    assert named == [None, None]


async def test_withdrawn_offers_leave_the_window_in_their_chat_only(
    session_factory, make_track_row
):
    people, ids = await _setup(session_factory, make_track_row)
    kept = await _playlist(session_factory, ids[:2], None)
    gone = await _playlist(session_factory, ids[2:4], people["ann"])
    async with session_factory() as session, session.begin():
        assert await room_offers.withdraw(session, "telegram", OTHER_GROUP, gone) == 0
        assert await room_offers.withdraw(session, "telegram", GROUP, gone) == 2
    async with session_factory() as session:
        assert await room_offers.recent_track_ids(session, "telegram", GROUP, 10) == ids[:2]
        assert [o.id for o in await session.scalars(select(RoomOffer))] == kept


async def test_the_group_migration_keeps_every_row(sqlite_url: str) -> None:
    """0002 → 0006 → 0002 → 0006 on a database with an offer, a thumb and a mood."""
    upgrade(sqlite_url, "0002")
    engine = make_engine(sqlite_url)
    mood = vector_to_bytes(np.full(DIM, 1 / DIM))
    async with engine.begin() as connection:
        for statement in (
            "INSERT INTO persons VALUES (1, 'local', 'me', '', NULL, 'match', :now)",
            "INSERT INTO tracks (id, title, artists, album, language, genre, tags, link, "
            "vector, has_lyrics, source, dedupe_key, created_at) VALUES "
            "(7, 'T', '[]', '', '', '', '[]', '', :mood, 0, '', 'k', :now)",
            "INSERT INTO recommendations VALUES (3, 1, 7, :now, 1, 0.5, :mood, 'match', 'g', NULL)",
            "INSERT INTO feedback (id, person_id, recommendation_id, track_id, value, "
            "created_at, updated_at) VALUES (5, 1, 3, 7, 1, :now, :now)",
            "INSERT INTO mood_readings VALUES (9, 1, :now, :mood, 0.5, 'text', 'reading', 'g')",
        ):
            await connection.execute(text(statement), {"now": NOW, "mood": mood})
    await engine.dispose()

    async def counts() -> list[int]:
        engine = make_engine(sqlite_url)
        async with engine.connect() as connection:
            found = [
                (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
                for table in ("persons", "tracks", "recommendations", "feedback", "mood_readings")
            ]
        await engine.dispose()
        return found

    upgrade(sqlite_url, "0006")
    assert await counts() == [1, 1, 1, 1, 1]
    engine = make_engine(sqlite_url)
    async with engine.begin() as connection:
        await connection.run_sync(_downgrade, "0002")
    await engine.dispose()
    assert await counts() == [1, 1, 1, 1, 1]
    upgrade(sqlite_url, "0006")
    assert await counts() == [1, 1, 1, 1, 1]


def _downgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)
