"""Sending due check-ins with a clock the tests move: once per local day, paced, through
DST changes, restarts inside and outside the grace window, refusals and failures."""

from __future__ import annotations

import asyncio
import time as wall
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from checkin_helpers import Clock, RecordingOutbound, add_checkins, send_id_of, utc
from sqlalchemy import select

from moodtune.config import Settings
from moodtune.handlers import checkin_tick
from moodtune.handlers.checkin_tick import CheckinSender, plan, retry_at
from moodtune.handlers.outbound import Delivery
from moodtune.storage import checkins
from moodtune.storage.db import make_engine, make_session_factory
from moodtune.storage.models import CheckIn, CheckInSend

SHANGHAI_9PM = utc(2026, 3, 8, 13, 0)  # Sunday 8 March 2026, 21:00 in Shanghai


def settings(**overrides: object) -> Settings:
    values = {"checkin_sends_per_second": 1000.0, **overrides}
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def sender(sessions, clock: Clock, *outbounds: RecordingOutbound, **options: object):
    outbounds = outbounds or (RecordingOutbound(),)
    mapping = {outbound.platform: outbound for outbound in outbounds}
    return CheckinSender(sessions, mapping, settings(**options), clock, name="test")


async def sends(sessions) -> list[CheckInSend]:
    async with sessions() as session:
        return list(await session.scalars(select(CheckInSend).order_by(CheckInSend.id)))


async def checkin_rows(sessions) -> dict[str, CheckIn]:
    async with sessions() as session:
        return {row.chat_id: row for row in await session.scalars(select(CheckIn))}


async def test_a_due_check_in_goes_out_once_and_moves_to_tomorrow(session_factory) -> None:
    clock = Clock(SHANGHAI_9PM - timedelta(minutes=5))
    await add_checkins(session_factory, ["room"], time(21), "Asia/Shanghai", clock.now)
    outbound = RecordingOutbound()
    tick = sender(session_factory, clock, outbound)
    assert not await tick.tick()  # 20:55: nothing due
    clock.advance(minutes=5, seconds=10)
    report = await tick.tick()
    assert (report.claimed, report.delivered) == (1, 1)
    ((chat, reply),) = outbound.sent
    assert (chat.platform, chat.chat_id, chat.kind) == ("telegram", "room", "group")
    assert reply.text.startswith("How are you feeling today?")
    assert [len(row) for row in reply.buttons] == [4, 3] and len(reply.choices) == 7
    (send,) = await sends(session_factory)
    assert send_id_of(reply) == send.id
    assert (send.local_day, send.status, send.due_at) == (date(2026, 3, 8), "delivered",
                                                          SHANGHAI_9PM)  # fmt: skip
    clock.advance(seconds=15)
    assert not await tick.tick()  # sent: nothing more today
    row = (await checkin_rows(session_factory))["room"]
    assert (row.next_due_day, row.next_due_at) == (date(2026, 3, 9), utc(2026, 3, 9, 13, 0))
    assert row.claimed_by is None


async def test_ticking_through_dst_changes_sends_one_a_day(session_factory) -> None:
    """New York's 02:30 over the spring change (8 March) and its 01:30 over the autumn one
    (1 November), ticking hourly at :35 for four days: every local day once, the skipped
    02:30 at the next tick after 03:00, the repeated 01:30 only in its first hour (the
    tick an hour later reads 01:35 again, and sends nothing)."""
    york = ZoneInfo("America/New_York")
    for at, start in ((time(2, 30), utc(2026, 3, 6, 12, 35)),
                      (time(1, 30), utc(2026, 10, 30, 12, 35))):  # fmt: skip
        clock = Clock(start)
        chat = f"ny-{at:%H%M}"
        await add_checkins(session_factory, [chat], at, "America/New_York", clock.now)
        outbound = RecordingOutbound()
        tick = sender(session_factory, clock, outbound)
        sent_at = []
        for _ in range(4 * 24):
            before = outbound.chats().count(chat)
            await tick.tick()
            sent_at += [clock.now] * (outbound.chats().count(chat) - before)
            clock.advance(hours=1)
        local = [moment.astimezone(york) for moment in sent_at]
        days = [moment.date() for moment in local]
        assert days == [days[0] + timedelta(days=i) for i in range(4)], local
        shown = [f"{moment:%H:%M}" for moment in local]
        expected = ["02:35", "03:35", "02:35", "02:35"] if at.hour == 2 else ["01:35"] * 4
        assert shown == expected, local
        if at.hour == 1:  # 1 November: in the first 01:35 (EDT, 05:35 UTC), not the repeat
            assert utc(2026, 11, 1, 5, 35) in sent_at


@pytest.mark.parametrize(
    ("late", "sent"), [(timedelta(hours=1, minutes=59), True), (timedelta(hours=2, minutes=1),
                                                                  False)]
)  # fmt: skip
async def test_after_downtime_within_the_grace_window_or_not(
    session_factory, late: timedelta, sent: bool
) -> None:
    """No process ran at 21:00; one starts `late` later: it sends once, or lets the day go."""
    clock = Clock(SHANGHAI_9PM - timedelta(hours=1))
    await add_checkins(session_factory, ["a", "b", "c"], time(21), "Asia/Shanghai", clock.now)
    clock.now = SHANGHAI_9PM + late
    outbound = RecordingOutbound()
    report = await sender(session_factory, clock, outbound).tick()
    assert len(outbound.sent) == (3 if sent else 0)
    assert report.missed == (0 if sent else 3)
    assert {s.status for s in await sends(session_factory)} == {"delivered" if sent else "missed"}
    assert {r.next_due_day for r in (await checkin_rows(session_factory)).values()} == {
        date(2026, 3, 9)
    }
    clock.now = utc(2026, 3, 9, 13, 0, 5)  # the next evening, as usual
    await sender(session_factory, clock, outbound).tick()
    assert len(outbound.sent) == (6 if sent else 3)


async def test_days_of_downtime_send_no_burst(session_factory) -> None:
    clock = Clock(SHANGHAI_9PM - timedelta(hours=1))
    await add_checkins(session_factory, ["a"], time(21), "Asia/Shanghai", clock.now)
    clock.now = SHANGHAI_9PM + timedelta(days=5, hours=3)  # back after five days, at midnight
    outbound = RecordingOutbound()
    for _ in range(3):
        await sender(session_factory, clock, outbound).tick()
    assert outbound.sent == []
    assert [s.status for s in await sends(session_factory)] == ["missed"]  # one row, not five
    row = (await checkin_rows(session_factory))["a"]
    assert row.next_due_day == date(2026, 3, 14)  # today's 21:00 has passed: tomorrow


async def test_skip_skips_one_day(session_factory) -> None:
    clock = Clock(SHANGHAI_9PM - timedelta(hours=1))
    (checkin_id,) = await add_checkins(session_factory, ["a"], time(21), "Asia/Shanghai", clock.now)
    async with session_factory() as session, session.begin():
        await checkins.set_skip_next(session, checkin_id, True)
    outbound = RecordingOutbound()
    tick = sender(session_factory, clock, outbound)
    clock.now = SHANGHAI_9PM
    assert (await tick.tick()).skipped == 1
    clock.advance(days=1)
    assert (await tick.tick()).delivered == 1
    assert [(s.local_day.day, s.status) for s in await sends(session_factory)] == [
        (8, "skipped"), (9, "delivered")
    ]  # fmt: skip


async def test_a_chat_that_refuses_is_paused_and_the_others_go_on(session_factory) -> None:
    """The bot was blocked, or the group deleted: delivery is refused for good."""
    clock = Clock(SHANGHAI_9PM - timedelta(minutes=1))
    await add_checkins(session_factory, ["gone", "ok"], time(21), "Asia/Shanghai", clock.now)
    clock.now = SHANGHAI_9PM
    outbound = RecordingOutbound(answers={"gone": Delivery.UNREACHABLE})
    report = await sender(session_factory, clock, outbound).tick()
    assert (report.delivered, report.unreachable) == (1, 1)
    rows = await checkin_rows(session_factory)
    assert rows["gone"].unreachable_at == clock.now and rows["ok"].unreachable_at is None
    clock.advance(days=1)
    await sender(session_factory, clock, outbound).tick()
    assert sorted(outbound.chats()) == ["gone", "ok", "ok"]  # not asked again until they write


async def test_a_failure_is_retried_within_the_grace_window(session_factory) -> None:
    clock = Clock(SHANGHAI_9PM - timedelta(minutes=1))
    await add_checkins(session_factory, ["flaky", "broken"], time(21), "Asia/Shanghai", clock.now)
    outbound = RecordingOutbound(answers={"flaky": Delivery.FAILED,
                                          "broken": RuntimeError("connector bug")})  # fmt: skip
    tick = sender(session_factory, clock, outbound)
    clock.now = SHANGHAI_9PM
    assert (await tick.tick()).failed == 2
    outbound.answers["flaky"] = Delivery.DELIVERED
    clock.advance(seconds=59)
    assert not await tick.tick()  # a minute has not passed
    clock.advance(seconds=2)
    report = await tick.tick()
    assert (report.delivered, report.failed) == (1, 1)
    for minutes in (5, 20):  # the broken one: tried at +1, +6 and +26 minutes, then given up
        clock.advance(minutes=minutes)
        assert (await tick.tick()).failed == 1
    clock.advance(hours=1)
    assert not await tick.tick()
    by_chat = {(await checkin_rows(session_factory))[c].id: c for c in ("flaky", "broken")}
    outcome = {by_chat[s.checkin_id]: (s.status, s.attempts, s.retry_at) for s in
               await sends(session_factory)}  # fmt: skip
    assert outcome == {"flaky": ("delivered", 2, None), "broken": ("failed", 4, None)}
    assert outbound.chats().count("flaky") == 2 and outbound.chats().count("broken") == 4


def test_retries_never_go_past_the_grace_window() -> None:
    due = SHANGHAI_9PM
    grace = timedelta(hours=2)
    assert retry_at(1, due, due, grace) == due + timedelta(minutes=1)
    assert retry_at(1, due, due + timedelta(hours=1, minutes=59, seconds=30), grace) is None
    assert retry_at(4, due, due, grace) is None
    assert retry_at(1, due, due, timedelta(0)) is None


def test_a_zone_the_system_lost_is_let_go_not_crashed_on() -> None:
    due = checkins.Due(1, "telegram", "c", "group", None, time(21), "Gone/Zone", "en",
                       SHANGHAI_9PM, date(2026, 3, 8), False, "x")  # fmt: skip
    decided = plan(due, SHANGHAI_9PM, timedelta(hours=2))
    assert decided.status == "missed" and decided.next_day == date(2026, 3, 9)


async def test_only_the_platforms_served_here_are_claimed(session_factory) -> None:
    clock = Clock(SHANGHAI_9PM - timedelta(minutes=1))
    await add_checkins(session_factory, ["t"], time(21), "Asia/Shanghai", clock.now)
    await add_checkins(session_factory, ["d"], time(21), "Asia/Shanghai", clock.now, "discord")
    clock.now = SHANGHAI_9PM
    telegram = RecordingOutbound()
    await sender(session_factory, clock, telegram).tick()
    discord = RecordingOutbound(platform="discord")
    await sender(session_factory, clock, discord).tick()
    assert telegram.chats() == ["t"] and discord.chats() == ["d"]


async def test_a_check_in_deleted_after_its_claim_is_not_sent(
    session_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The person says /forget between the claim and the send."""
    clock = Clock(SHANGHAI_9PM - timedelta(minutes=1))
    await add_checkins(session_factory, ["ann", "bo"], time(21), "Asia/Shanghai", clock.now,
                       private=True)  # fmt: skip
    clock.now = SHANGHAI_9PM
    claim = checkins.claim_due

    async def claim_then_forget(session, *args):
        claimed = await claim(session, *args)
        await session.execute(CheckIn.__table__.delete().where(CheckIn.chat_id == "ann"))
        return claimed

    monkeypatch.setattr(checkin_tick.checkins, "claim_due", claim_then_forget)
    outbound = RecordingOutbound()
    report = await sender(session_factory, clock, outbound).tick()
    assert outbound.chats() == ["bo"] and report.lost == 1


async def test_the_clock_jumping_back_sends_nothing_twice(session_factory) -> None:
    clock = Clock(SHANGHAI_9PM - timedelta(minutes=1))
    await add_checkins(session_factory, ["a"], time(21), "Asia/Shanghai", clock.now)
    outbound = RecordingOutbound()
    tick = sender(session_factory, clock, outbound)
    clock.now = SHANGHAI_9PM + timedelta(seconds=10)
    await tick.tick()
    for back in (timedelta(minutes=2), timedelta(hours=5), timedelta(days=1)):
        clock.now = SHANGHAI_9PM + timedelta(seconds=10) - back
        await tick.tick()
        clock.now = SHANGHAI_9PM + timedelta(seconds=30)  # and forward again
        await tick.tick()
    assert len(outbound.sent) == 1
    clock.now = utc(2026, 3, 9, 13, 0, 1)
    await tick.tick()
    assert len(outbound.sent) == 2


async def test_sends_keep_to_the_pace(session_factory) -> None:
    """20 a second: twelve check-ins due at once take about 0.55 s, not a burst."""
    clock = Clock(SHANGHAI_9PM - timedelta(minutes=1))
    await add_checkins(session_factory, [f"c{i}" for i in range(12)], time(21), "Asia/Shanghai",
                       clock.now)  # fmt: skip
    clock.now = SHANGHAI_9PM
    times: list[float] = []

    class Timed(RecordingOutbound):
        async def send(self, chat, reply):
            times.append(wall.monotonic())
            return await super().send(chat, reply)

    await sender(session_factory, clock, Timed(), checkin_sends_per_second=20.0).tick()
    assert len(times) == 12
    # Slots are 50 ms apart; each send follows its slot after recording it (a database
    # write whose time varies), so the span may shrink by that jitter, never by much.
    assert times[-1] - times[0] >= 0.9 * 11 / 20


async def test_two_senders_at_once_send_each_check_in_once(db_url: str) -> None:
    """Two senders on their own connection pools, as two processes, on 300 check-ins."""
    engines = [make_engine(db_url) for _ in range(2)]
    factories = [make_session_factory(engine) for engine in engines]
    try:
        clock = Clock(SHANGHAI_9PM - timedelta(minutes=1))
        chats = [f"c{i}" for i in range(300)]
        await add_checkins(factories[0], chats, time(21), "Asia/Shanghai", clock.now)
        clock.now = SHANGHAI_9PM
        outbounds = [RecordingOutbound(), RecordingOutbound()]
        rate = settings(checkin_sends_per_second=100.0)  # claims of 200: neither takes all
        senders = [
            CheckinSender(f, {"telegram": o}, rate, clock, name=f"p{i}")
            for i, (f, o) in enumerate(zip(factories, outbounds, strict=True))
        ]
        reports = await asyncio.gather(*(s.tick() for s in senders))
        every = outbounds[0].chats() + outbounds[1].chats()
        assert sorted(every) == sorted(chats)
        assert all(report.delivered > 0 for report in reports)  # both did a share
    finally:
        for engine in engines:
            await engine.dispose()


def test_the_sender_paces_each_platform_and_claims_two_seconds_of_work() -> None:
    def made(**options: object) -> CheckinSender:
        values = Settings(_env_file=None, **options)  # type: ignore[call-arg]
        outbounds = {"telegram": RecordingOutbound()}
        return CheckinSender(None, outbounds, values, Clock(SHANGHAI_9PM))  # type: ignore[arg-type]

    alone = made()
    assert alone.paces["telegram"].interval == pytest.approx(1 / 25) and alone.batch == 50
    assert made(checkin_processes=2).paces["telegram"].interval == pytest.approx(2 / 25)


async def test_a_platform_that_never_answers_leaves_the_outcome_unknown(
    session_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It may have arrived: never retried (at most once), and the others go on."""
    monkeypatch.setattr(checkin_tick, "SEND_TIMEOUT_SECONDS", 0.2)
    clock = Clock(SHANGHAI_9PM - timedelta(minutes=1))
    await add_checkins(session_factory, ["silent", "ok"], time(21), "Asia/Shanghai", clock.now)
    clock.now = SHANGHAI_9PM

    class Silent(RecordingOutbound):
        async def send(self, chat, reply):
            if chat.chat_id == "silent":
                await asyncio.sleep(3600)
            return await super().send(chat, reply)

    outbound = Silent()
    tick = sender(session_factory, clock, outbound)
    assert (await tick.tick()).delivered == 1
    clock.advance(minutes=30)
    assert not await tick.tick()
    rows = await checkin_rows(session_factory)
    status = {s.checkin_id: s.status for s in await sends(session_factory)}
    assert status == {rows["silent"].id: "sending", rows["ok"].id: "delivered"}
