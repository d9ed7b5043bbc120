"""BatchWriter: many messages' moods and offers in few transactions, each write answered
with exactly its own offers' ids, a bad write failing alone, nothing lost to a cancel."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.emotion import EmotionVector
from moodtune.storage import moods, persons, recommendations, tracks
from moodtune.storage.batch_writer import MAX_BATCH, BatchWriter, WriterStoppedError
from moodtune.storage.models import MoodReading, Recommendation

Sessions = async_sessionmaker[AsyncSession]
CALM = EmotionVector.from_scores({"PE": 2.0, "PG": 1.0})
MISSING = 987_654  # an id no person and no track has


async def _people_and_tracks(
    sessions: Sessions, make_track_row: Any, n_people: int = 4, n_tracks: int = 8
) -> tuple[list[int], list[int]]:
    async with sessions() as session, session.begin():
        await tracks.add_many(session, [make_track_row(f"T{i}") for i in range(n_tracks)])
        track_ids = [int(i) for i in (await tracks.load_matrix(session))[0]]
        people = [await persons.get_or_create(session, "local", f"u{i}") for i in range(n_people)]
    return [p.id for p in people], track_ids


def _rows(
    person_id: int, track_ids: list[int], chat: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One message's rows: a mood and an offer per track, tagged with `chat`."""
    mood = [moods.mood_row(person_id, CALM, 0.5, "text", chat_id=chat)]
    offers = [(t, rank, rank / 10) for rank, t in enumerate(track_ids, 1)]
    return mood, recommendations.offer_rows(person_id, offers, CALM, "match", chat)


@contextmanager
def _counting(sessions: Sessions, name: str) -> Iterator[list[Any]]:
    """Every `name` event on the sessions' engine while the block runs."""
    engine = sessions.kw["bind"].sync_engine
    seen: list[Any] = []

    def listener(*args: Any) -> None:
        seen.append(args)

    event.listen(engine, name, listener)
    try:
        yield seen
    finally:
        event.remove(engine, name, listener)


async def _offers(sessions: Sessions) -> dict[int, tuple[int, int, int, str]]:
    """recommendations by id: (person id, track id, rank, chat id)."""
    columns = (Recommendation.id, Recommendation.person_id, Recommendation.track_id,
               Recommendation.rank, Recommendation.chat_id)  # fmt: skip
    async with sessions() as session:
        return {row[0]: tuple(row[1:]) for row in await session.execute(select(*columns))}


async def _count(sessions: Sessions, model: type) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_concurrent_writes_share_transactions_and_get_their_own_ids(
    session_factory: Sessions, make_track_row: Any
) -> None:
    people, track_ids = await _people_and_tracks(session_factory, make_track_row)
    writer = BatchWriter(session_factory)
    n = MAX_BATCH + 44  # more than one batch holds
    sent = []
    for i in range(n):
        person = people[i % len(people)]
        offered = [track_ids[(i + j) % len(track_ids)] for j in range(1 + i % 3)]
        sent.append((person, offered, f"chat{i}"))
    with (
        _counting(session_factory, "commit") as commits,
        _counting(session_factory, "before_cursor_execute") as statements,
    ):
        answers = await asyncio.gather(
            *(writer.write(*_rows(p, offered, chat)) for p, offered, chat in sent)
        )
        await writer.close()
    stored = await _offers(session_factory)
    for (person, offered, chat), ids in zip(sent, answers, strict=True):
        assert [stored[i] for i in ids] == [
            (person, track, rank, chat) for rank, track in enumerate(offered, 1)
        ]
    assert len(stored) == sum(len(offered) for _, offered, _ in sent)
    assert await _count(session_factory, MoodReading) == n
    assert 1 <= len(commits) < n
    # Each batch's offers go in as one statement or a few, never one per offer (which is
    # what SQLite did before recommendations had an insert sentinel).
    offer_inserts = [s for s in statements if s[2].startswith("INSERT INTO recommendations")]
    assert len(offer_inserts) <= 3 * len(commits)


async def test_a_write_that_cannot_be_stored_fails_alone(
    session_factory: Sessions, make_track_row: Any
) -> None:
    (ann, bo, *_), track_ids = await _people_and_tracks(session_factory, make_track_row)
    writer = BatchWriter(session_factory)
    writes = [
        _rows(ann, track_ids[:2], "good1"),
        _rows(MISSING, track_ids[:2], "no person"),
        _rows(bo, track_ids[2:4], "good2"),
        _rows(ann, [MISSING], "no track"),
    ]
    results = await asyncio.gather(*(writer.write(*w) for w in writes), return_exceptions=True)
    assert isinstance(results[1], IntegrityError) and isinstance(results[3], IntegrityError)
    stored = await _offers(session_factory)
    assert [stored[i] for i in results[0]] == [(ann, track_ids[0], 1, "good1"),
                                               (ann, track_ids[1], 2, "good1")]  # fmt: skip
    assert [stored[i] for i in results[2]] == [(bo, track_ids[2], 1, "good2"),
                                               (bo, track_ids[3], 2, "good2")]  # fmt: skip
    assert len(stored) == 4
    async with session_factory() as session:
        chats = set(await session.scalars(select(MoodReading.chat_id)))
    assert chats == {"good1", "good2"}  # the failed writes' moods went with their offers


async def test_an_empty_write_touches_nothing(session_factory: Sessions) -> None:
    writer = BatchWriter(session_factory)
    with _counting(session_factory, "before_cursor_execute") as statements:
        assert await writer.write() == []
        assert await writer.write([], []) == []
        await writer.close()
    assert statements == []


async def test_a_cancelled_caller_s_rows_are_still_stored(
    session_factory: Sessions, make_track_row: Any
) -> None:
    (ann, *_), track_ids = await _people_and_tracks(session_factory, make_track_row)
    writer = BatchWriter(session_factory)
    with _counting(session_factory, "commit") as commits:
        caller = asyncio.create_task(writer.write(*_rows(ann, track_ids[:3], "gone")))
        await asyncio.sleep(0)  # the caller hands its rows over and waits
        caller.cancel()
        with pytest.raises(asyncio.CancelledError):
            await caller
        await writer.close()
        assert len(commits) == 1  # close() returned once they were committed
    assert sorted((await _offers(session_factory)).values()) == [
        (ann, track, rank, "gone") for rank, track in enumerate(track_ids[:3], 1)
    ]
    assert await _count(session_factory, MoodReading) == 1


@pytest.mark.parametrize("steps", [1, 3], ids=["before it began", "while storing"])
async def test_a_stopped_writer_answers_everyone_waiting(
    session_factory: Sessions, make_track_row: Any, steps: int
) -> None:
    (ann, bo, *_), track_ids = await _people_and_tracks(session_factory, make_track_row)
    writer = BatchWriter(session_factory)
    waiting = [asyncio.create_task(writer.write(*_rows(p, track_ids[:2], "c"))) for p in (ann, bo)]
    for _ in range(steps):
        await asyncio.sleep(0)
    assert writer._draining is not None
    writer._draining.cancel()  # the bot shutting down
    async with asyncio.timeout(10):
        for task in waiting:
            with pytest.raises(WriterStoppedError):
                await task


async def test_a_failure_nobody_waits_for_is_logged(
    session_factory: Sessions, make_track_row: Any, caplog: pytest.LogCaptureFixture
) -> None:
    (ann, *_), track_ids = await _people_and_tracks(session_factory, make_track_row)
    writer = BatchWriter(session_factory)
    orphan = _rows(ann + 10_000, track_ids[:1], "gone")  # no such person: cannot be stored
    caller = asyncio.create_task(writer.write(*orphan))
    await asyncio.sleep(0)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    await writer.close()
    assert "a message given up on could not be stored" in caplog.text
