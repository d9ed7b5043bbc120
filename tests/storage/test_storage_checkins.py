"""Check-ins in the database: settings, claims, sends once per local day, on both databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from moodtune.storage import checkins, moods, persons
from moodtune.storage.checkins import CheckInError, Outcome
from moodtune.storage.db import make_engine, make_session_factory
from moodtune.storage.models import CheckIn, CheckInSend, MoodReading

NOW = datetime(2026, 3, 8, 13, 0, tzinfo=UTC)  # 21:00 in Shanghai
TIMEOUT = timedelta(seconds=60)


async def _checkin(sessions, chat: str, due: datetime = NOW, platform: str = "telegram",
                   person: str | None = None) -> int:  # fmt: skip
    """A check-in due at `due`: a person's private one (person given) or a group's."""
    async with sessions() as session, session.begin():
        person_id = None
        if person is not None:
            person_id = (await persons.get_or_create(session, platform, person)).id
        row = await checkins.save(
            session, platform=platform, chat_id=chat,
            chat_kind="private" if person else "group", person_id=person_id,
            local_time=time(21), zone="Asia/Shanghai", language="en", next_due_at=due,
            next_due_day=due.date(),
        )  # fmt: skip
    return row.id


async def _claim(sessions, claim: str, now: datetime = NOW, limit: int = 100,
                 platforms: tuple[str, ...] = ("telegram",)) -> list[checkins.Due]:  # fmt: skip
    async with sessions() as session, session.begin():
        return await checkins.claim_due(session, now, claim, platforms, limit, TIMEOUT)


async def _take(sessions, due: checkins.Due, status: str = "sending", now: datetime = NOW):
    async with sessions() as session, session.begin():
        return await checkins.take(
            session, due, status, due.next_due_at + timedelta(days=1),
            due.next_due_day + timedelta(days=1), now,
        )  # fmt: skip


async def _sends(sessions) -> list[CheckInSend]:
    async with sessions() as session:
        return list(await session.scalars(select(CheckInSend).order_by(CheckInSend.id)))


async def test_a_chat_has_one_check_in_and_saving_again_changes_it(session_factory) -> None:
    first = await _checkin(session_factory, "c1", person="ann")
    async with session_factory() as session, session.begin():
        await checkins.set_paused(session, first, True)
        await checkins.set_skip_next(session, first, True)
    again = await _checkin(session_factory, "c1", NOW + timedelta(hours=1), person="ann")
    async with session_factory() as session:
        row = await checkins.get(session, "telegram", "c1")
        count = await session.scalar(select(func.count()).select_from(CheckIn))
    assert again == first and count == 1
    assert row.next_due_at == NOW + timedelta(hours=1)
    assert not row.paused and not row.skip_next  # a new setting is on and skips nothing
    assert row.local_time == time(21) and row.next_due_day == date(2026, 3, 8)


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"chat_kind": "channel"}, "chat kind"), ({"platform": "myspace"}, "platform"),
     ({"chat_id": ""}, "chat id"), ({"chat_id": "9" * 129}, "chat id"),
     ({"chat_kind": "group", "person_id": 1}, "group's has none"),
     ({"chat_kind": "private", "person_id": None}, "private check-in has a person")],
)  # fmt: skip
async def test_bad_check_ins_are_refused(session_factory, fields: dict, message: str) -> None:
    values = dict(platform="telegram", chat_id="c", chat_kind="group", person_id=None,
                  local_time=time(9), zone="UTC", language="en", next_due_at=NOW,
                  next_due_day=NOW.date())  # fmt: skip
    async with session_factory() as session:
        with pytest.raises(CheckInError, match=message):
            await checkins.save(session, **{**values, **fields})


async def test_the_database_itself_refuses_a_private_check_in_without_a_person(
    session_factory,
) -> None:
    async with session_factory() as session:
        session.add(CheckIn(platform="telegram", chat_id="x", chat_kind="private",
                            local_time=time(9), zone="UTC", language="en", next_due_at=NOW,
                            next_due_day=NOW.date()))  # fmt: skip
        with pytest.raises(IntegrityError):
            await session.flush()


async def test_a_claim_takes_the_due_ones_earliest_first(session_factory) -> None:
    late = await _checkin(session_factory, "late", NOW - timedelta(minutes=1))
    early = await _checkin(session_factory, "early", NOW - timedelta(minutes=5))
    await _checkin(session_factory, "future", NOW + timedelta(seconds=1))
    await _checkin(session_factory, "discord", NOW - timedelta(hours=1), platform="discord")
    paused = await _checkin(session_factory, "paused", NOW - timedelta(hours=1))
    async with session_factory() as session, session.begin():
        await checkins.set_paused(session, paused, True)
    claimed = await _claim(session_factory, "p1:a")
    assert [due.id for due in claimed] == [early, late]
    assert {due.claim for due in claimed} == {"p1:a"}
    assert await _claim(session_factory, "p2:a") == []  # claimed, and not yet timed out
    both = await _claim(session_factory, "p2:b", platforms=("telegram", "discord"))
    assert [due.chat_id for due in both] == ["discord"]


async def test_a_dead_claim_is_taken_over_and_the_dead_process_cannot_record(
    session_factory,
) -> None:
    await _checkin(session_factory, "c1")
    (dead,) = await _claim(session_factory, "dead:1")
    assert await _claim(session_factory, "p2:1", NOW + TIMEOUT) == []  # not yet
    (taken,) = await _claim(session_factory, "p2:2", NOW + TIMEOUT + timedelta(seconds=1))
    assert taken.id == dead.id
    assert await _take(session_factory, dead) is None  # it woke up: the claim is not its own
    send_id = await _take(session_factory, taken)
    assert send_id is not None
    (send,) = await _sends(session_factory)
    assert (send.id, send.local_day, send.status, send.attempts) == (send_id, NOW.date(),
                                                                    "sending", 1)  # fmt: skip


async def test_a_claim_dated_in_the_future_is_stale_too(session_factory) -> None:
    """The clock went back an hour after a process claimed and died."""
    await _checkin(session_factory, "c1", NOW - timedelta(hours=2))
    assert len(await _claim(session_factory, "p1:1")) == 1
    back = NOW - timedelta(hours=1)
    assert len(await _claim(session_factory, "p2:1", back)) == 1


async def test_a_day_is_recorded_once(session_factory) -> None:
    checkin_id = await _checkin(session_factory, "c1")
    (due,) = await _claim(session_factory, "p1:1")
    assert await _take(session_factory, due) is not None
    async with session_factory() as session, session.begin():  # moved back by hand to today
        await checkins.move(session, checkin_id, NOW, NOW.date())
    (again,) = await _claim(session_factory, "p1:2")
    assert await _take(session_factory, again) is None  # the day has its send already
    assert len(await _sends(session_factory)) == 1
    async with session_factory() as session:
        row = await session.get(CheckIn, checkin_id)
    assert row.next_due_day == date(2026, 3, 9) and row.claimed_by is None


async def test_skipped_and_missed_days_are_recorded_and_use_up_the_skip(session_factory) -> None:
    checkin_id = await _checkin(session_factory, "c1")
    async with session_factory() as session, session.begin():
        await checkins.set_skip_next(session, checkin_id, True)
    (due,) = await _claim(session_factory, "p1:1")
    assert due.skip_next
    await _take(session_factory, due, "skipped")
    (send,) = await _sends(session_factory)
    assert send.status == "skipped" and send.finished_at is not None and send.attempts == 0
    async with session_factory() as session:
        assert not (await session.get(CheckIn, checkin_id)).skip_next


async def test_outcomes_and_unreachable_chats(session_factory) -> None:
    ids = [await _checkin(session_factory, f"c{i}") for i in range(3)]
    sends = [await _take(session_factory, due) for due in await _claim(session_factory, "p:1")]
    later = NOW + timedelta(seconds=5)
    async with session_factory() as session, session.begin():
        await checkins.finish(session, [
            Outcome(sends[0], "delivered"), Outcome(sends[1], "unreachable"),
            Outcome(sends[2], "failed", later + timedelta(minutes=1)),
        ], later)  # fmt: skip
    stored = {s.id: s for s in await _sends(session_factory)}
    assert [stored[i].status for i in sends] == ["delivered", "unreachable", "failed"]
    assert stored[sends[2]].retry_at == later + timedelta(minutes=1)
    async with session_factory() as session:
        assert await checkins.unreachable_chats(session) == {("telegram", "c1")}
        gone = await session.get(CheckIn, ids[1])
    assert gone.unreachable_at == later
    # Paused: not due tomorrow either, until the chat writes again.
    tomorrow = NOW + timedelta(days=1, seconds=1)
    assert {d.chat_id for d in await _claim(session_factory, "p:2", tomorrow)} == {"c0", "c2"}
    async with session_factory() as session, session.begin():
        assert await checkins.reachable_again(session, ids[1], tomorrow, date(2026, 3, 9))
        assert not await checkins.reachable_again(session, ids[1], tomorrow, date(2026, 3, 9))
        assert await checkins.unreachable_chats(session) == set()


async def test_failed_sends_are_retried_when_their_time_comes(session_factory) -> None:
    await _checkin(session_factory, "c1")
    (due,) = await _claim(session_factory, "p:1")
    send_id = await _take(session_factory, due)
    retry = NOW + timedelta(minutes=1)
    async with session_factory() as session, session.begin():
        await checkins.finish(session, [Outcome(send_id, "failed", retry)], NOW)
    async with session_factory() as session, session.begin():
        assert await checkins.claim_retries(session, NOW, ("telegram",), 10) == []
    async with session_factory() as session, session.begin():
        (again,) = await checkins.claim_retries(session, retry, ("telegram",), 10)
    assert (again.send_id, again.attempts, again.checkin.chat_id) == (send_id, 2, "c1")
    async with session_factory() as session, session.begin():  # claimed: not handed out twice
        assert await checkins.claim_retries(session, retry, ("telegram",), 10) == []


async def test_forgetting_a_person_erases_their_check_in_and_its_sends(session_factory) -> None:
    await _checkin(session_factory, "ann-chat", person="ann")
    await _checkin(session_factory, "room")  # a group's: not about ann
    for due in await _claim(session_factory, "p:1"):
        await _take(session_factory, due)
    async with session_factory() as session, session.begin():
        ann = await persons.get(session, "telegram", "ann")
        await moods.record(session, ann.id, [1.0] + [0.0] * 20, 0.9, "checkin", "checkin")
        removed = await persons.forget(session, ann.id)
    assert removed == 4  # the check-in, its send, the mood, the person
    async with session_factory() as session:
        left = [(c.chat_id, c.person_id) for c in await session.scalars(select(CheckIn))]
    assert left == [("room", None)]
    assert len(await _sends(session_factory)) == 1


async def test_a_check_in_mood_is_a_kind_the_database_accepts(session_factory) -> None:
    async with session_factory() as session, session.begin():
        ann = await persons.get_or_create(session, "telegram", "ann")
        await moods.record(session, ann.id, [1.0] + [0.0] * 20, 1.0, "checkin", "checkin")
    async with session_factory() as session:
        with pytest.raises(IntegrityError):
            await session.execute(
                text("UPDATE mood_readings SET kind = 'bogus' WHERE person_id = :p"),
                {"p": ann.id},
            )
    async with session_factory() as session:
        assert await session.scalar(select(MoodReading.kind)) == "checkin"


async def test_the_claim_reads_the_partial_index(session_factory, db_url: str) -> None:
    """The query repeats the index's terms exactly, so both databases use it."""
    due = (
        "SELECT id FROM checkins WHERE NOT checkins.paused AND checkins.unreachable_at IS NULL"
        " AND checkins.next_due_at <= :now ORDER BY checkins.next_due_at LIMIT 5"
    )
    async with session_factory() as session:
        if db_url.startswith("sqlite"):
            plan = await session.execute(text(f"EXPLAIN QUERY PLAN {due}"), {"now": NOW})
        else:
            await session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = await session.execute(text(f"EXPLAIN {due}"), {"now": NOW})
        assert "ix_checkins_due" in " ".join(str(row) for row in plan)


async def test_two_claimers_at_once_share_the_rows_without_overlap(db_url: str) -> None:
    """Two engines (two connection pools, as two processes have) claim at the same time."""
    engines = [make_engine(db_url) for _ in range(2)]
    factories = [make_session_factory(engine) for engine in engines]
    try:
        for i in range(60):
            await _checkin(factories[0], f"c{i}", NOW - timedelta(seconds=i))
        rounds = await asyncio.gather(*(
            _claim(factories[i % 2], f"p{i % 2}:{i}", limit=7) for i in range(12)
        ))  # fmt: skip
        ids = [due.id for claimed in rounds for due in claimed]
        assert len(ids) == len(set(ids)) == 60
    finally:
        for engine in engines:
            await engine.dispose()


async def test_the_migration_goes_down_and_up_keeping_the_moods(sqlite_url: str) -> None:
    """0005 → 0002 (check-in moods become readings, the tables go) → 0005."""
    from alembic import command
    from sqlalchemy import inspect

    from moodtune.storage.db import alembic_config, upgrade

    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    sessions = make_session_factory(engine)
    await _checkin(sessions, "c1", person="ann")
    async with sessions() as session, session.begin():
        ann = await persons.get(session, "telegram", "ann")
        await moods.record(session, ann.id, [1.0] + [0.0] * 20, 1.0, "checkin", "checkin")

    def down(sync) -> None:
        config = alembic_config()
        config.attributes["connection"] = sync
        command.downgrade(config, "0002")

    async with engine.begin() as connection:
        await connection.run_sync(down)
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        kinds = (await connection.execute(text("SELECT kind FROM mood_readings"))).scalars()
        assert list(kinds) == ["reading"]
    assert "checkins" not in tables and "checkin_sends" not in tables
    await engine.dispose()
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    async with make_session_factory(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(MoodReading)) == 1
    await engine.dispose()
