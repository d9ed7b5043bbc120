"""/checkin in the conversation, and the answers to a check-in: through the real handlers,
database, recommender and text engine, with a clock the tests set."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import numpy as np
import pytest
from checkin_helpers import Clock, RecordingOutbound, send_id_of, utc
from sqlalchemy import select

from moodtune.config import Settings
from moodtune.emotion import GROUPS, EmotionVector
from moodtune.emotion_engines.analysis import Engines
from moodtune.handlers.actions import CheckinAnswer
from moodtune.handlers.buttons import decode
from moodtune.handlers.checkin_tick import CheckinSender
from moodtune.handlers.dispatch import Handlers
from moodtune.handlers.export import export_person
from moodtune.handlers.outbound import Delivery
from moodtune.handlers.replies import Chat, Reply, Sender
from moodtune.recommender.load import load_catalog
from moodtune.recommender.people import People
from moodtune.recommender.tracks import CatalogIndex
from moodtune.storage import moods, persons, tracks
from moodtune.storage.models import CheckIn, MoodReading

SUNDAY_8PM = utc(2026, 3, 8, 12, 0)  # Sunday 8 March 2026, 20:00 in Shanghai
ANN = Sender("telegram", "101", "Ann", "en")
BO = Sender("telegram", "102", "Bo", "en")
MEI = Sender("telegram", "103", "美", "zh-hans")
ROOM = Chat("telegram", "-500", "group", "the room")


@dataclass
class App:
    settings: Settings
    engines: Engines
    sessions: Any
    catalog: CatalogIndex
    people: People


@pytest.fixture
async def app(session_factory) -> App:
    """The bot's services on a small catalog: 12 tracks near each of the 7 mood groups."""
    rng = np.random.default_rng(5)
    rows = []
    for group, (_, _, codes) in GROUPS.items():
        for i in range(12):
            scores = {code: 1.0 for code in codes}
            vector = EmotionVector.from_scores(scores).values + rng.uniform(0, 0.02, 21)
            rows.append({"title": f"{group} {i}", "artists": [f"{group} artist {i % 4}"],
                         "vector": vector / vector.sum(), "tags": [group]})  # fmt: skip
    async with session_factory() as session, session.begin():
        await tracks.add_many(session, rows)
    settings = Settings(_env_file=None, checkin_sends_per_second=1000)  # type: ignore[call-arg]
    catalog = await load_catalog(session_factory)
    return App(settings, Engines(settings), session_factory, catalog,
               People(session_factory, settings))  # fmt: skip


@pytest.fixture
def clock() -> Clock:
    return Clock(SUNDAY_8PM)


@pytest.fixture
def handlers(app: App, clock: Clock) -> Handlers:
    made = Handlers(app)
    made.commands._clock = clock.timestamp  # the handlers' clock, as the tests set it
    made.checkins._clock = clock.timestamp
    return made


async def checkin(handlers: Handlers, sender: Sender, *args: str, chat: Chat | None = None,
                  admin: bool = False) -> Reply:  # fmt: skip
    return await handlers.commands.run(sender, "checkin", args, chat, admin)


async def rows(app: App) -> list[CheckIn]:
    async with app.sessions() as session:
        return list(await session.scalars(select(CheckIn).order_by(CheckIn.id)))


async def test_set_show_skip_and_turn_off(handlers: Handlers, app: App) -> None:
    reply = await checkin(handlers, ANN, "21:00", "Asia/Shanghai")
    assert reply.ok
    assert reply.text == (
        "Done: every day at 21:00 (Asia/Shanghai) I'll ask how you feel. Next: today, 21:00."
    )
    (row,) = await rows(app)
    assert (row.chat_id, row.chat_kind, row.zone) == ("101", "private", "Asia/Shanghai")
    assert row.language == "en"
    assert row.next_due_at == utc(2026, 3, 8, 13, 0)
    async with app.sessions() as session:
        ann = await persons.get(session, "telegram", "101")
    assert row.person_id == ann.id

    shown = await checkin(handlers, ANN)
    assert shown.text == "Daily check-in at 21:00 (Asia/Shanghai). Next: today, 21:00."
    skipped = await checkin(handlers, ANN, "skip")
    assert (
        skipped.text
        == "I'll skip the next check-in (today, 21:00); the one after: tomorrow, 21:00."
    )
    again = await checkin(handlers, ANN, "SKIP")
    assert again.text.startswith("The next check-in (today, 21:00) is already skipped")
    assert "is skipped; then: tomorrow, 21:00" in (await checkin(handlers, ANN)).text
    off = await checkin(handlers, ANN, "off")
    assert off.text == "Daily check-ins are off. /checkin 21:00 turns them on again."
    assert "is off" in (await checkin(handlers, ANN)).text
    assert not (await checkin(handlers, ANN, "off")).ok  # nothing left to turn off
    on = await checkin(handlers, ANN, "08:30")  # the zone stated last
    assert on.text.endswith("(Asia/Shanghai) I'll ask how you feel. Next: tomorrow, 08:30.")
    (row,) = await rows(app)
    assert not row.paused and not row.skip_next and row.local_time == time(8, 30)


async def test_moving_to_another_zone_moves_the_next_check_in(
    handlers: Handlers, app: App, clock: Clock
) -> None:
    await checkin(handlers, ANN, "21:00", "Shanghai")
    assert (await rows(app))[0].next_due_at == utc(2026, 3, 8, 13, 0)
    moved = await checkin(handlers, ANN, "Berlin")  # same time of day, Berlin's
    assert moved.text == (
        "Done: every day at 21:00 (Europe/Berlin) I'll ask how you feel. Next: today, 21:00."
    )
    assert (await rows(app))[0].next_due_at == utc(2026, 3, 8, 20, 0)
    clock.now = utc(2026, 3, 30, 12)  # after Berlin moved its clocks (29 March)
    await checkin(handlers, ANN, "+02:00")
    await checkin(handlers, ANN, "Europe/Berlin")
    assert (await rows(app))[0].next_due_at == utc(2026, 3, 30, 19, 0)  # 21:00 CEST


async def test_a_day_already_sent_is_not_sent_again_after_a_change(
    handlers: Handlers, app: App, clock: Clock
) -> None:
    clock.now = SUNDAY_8PM - timedelta(minutes=1)
    await checkin(handlers, ANN, "20:00", "Shanghai")
    clock.now = SUNDAY_8PM + timedelta(seconds=5)
    outbound = RecordingOutbound()
    await CheckinSender(app.sessions, {"telegram": outbound}, app.settings, clock).tick()
    assert outbound.chats() == ["101"]
    reply = await checkin(handlers, ANN, "22:00")  # later today: today was asked already
    assert reply.text.endswith("Next: tomorrow, 22:00.")


@pytest.mark.parametrize(
    ("args", "text"),
    [(("25:00",), "“25:00” is not a time of day: hours go from 00 to 23, minutes from 00 to 59."),
     (("9",), "“9” is not a time. Give it as HH:MM on a 24-hour clock, e.g. /checkin 21:00 or "
              "/checkin 08:30 Europe/Berlin."),
     (("21:00", "Narnia"), "I don't know the place or time zone “Narnia”. Give a city (Shanghai, "
                           "London, 北京), a zone such as Asia/Shanghai, or an offset such as "
                           "+08:00."),
     (("21:00", "+15:00"), "“+15:00” is not a UTC offset in use: offsets go from -12:00 to "
                           "+14:00."),
     (("21:00", "Asia/Shangai"), "I don't know the time zone “Asia/Shangai”. Did you mean "
                                 "Asia/Shanghai?"),
     (("21:00", "new", "yrok"), "I don't know the time zone “new yrok”. Did you mean New York?"),
     (("21:00",), "Which time zone are you in? Add it once: /checkin 21:00 Shanghai, "
                  "/checkin 21:00 Europe/Berlin or /checkin 21:00 +08:00."),
     (("Berlin",), "There is no daily check-in here. /checkin 21:00 Shanghai asks every evening "
                   "at nine, Shanghai time (a city, a zone such as Europe/Berlin, or +08:00)."),
     (("21:00", "x" * 5000), "That is too long for a place or a time zone. Try a city, e.g. "
                             "/checkin 21:00 London."),
     (("skip",), "There is no daily check-in on here. /checkin 21:00 sets one.")],
)  # fmt: skip
async def test_bad_input_gets_a_clear_answer_and_stores_nothing(
    handlers: Handlers, app: App, args: tuple[str, ...], text: str
) -> None:
    reply = await checkin(handlers, ANN, *args)
    assert not reply.ok
    assert reply.text == text
    assert await rows(app) == []


async def test_in_chinese(handlers: Handlers) -> None:
    reply = await checkin(handlers, MEI, "21:00", "北京")
    assert reply.text == "好的：每天 21:00（Asia/Shanghai）我会问问你的心情。下一次：今天 21:00。"
    typo = await checkin(handlers, MEI, "21：00", "上诲")
    assert not typo.ok and typo.text.startswith("我不认识“上诲”这个地方或时区")
    wrong = await checkin(handlers, MEI, "25:00")
    assert wrong.text.startswith("“25:00”不是一天中的时间")


async def test_in_a_group_an_admin_asks_the_room(handlers: Handlers, app: App) -> None:
    refused = await checkin(handlers, BO, "21:00", "Shanghai", chat=ROOM)
    assert refused.text.startswith("In a group, only an admin can") and not refused.ok
    assert not (await checkin(handlers, BO, "off", chat=ROOM)).ok
    done = await checkin(handlers, ANN, "21:00", "Shanghai", chat=ROOM, admin=True)
    assert done.text == ("Done: every day at 21:00 (Asia/Shanghai) I'll ask this room how "
                         "everyone feels. Next: today, 21:00.")  # fmt: skip
    (row,) = await rows(app)
    assert (row.chat_id, row.chat_kind, row.person_id) == ("-500", "group", None)
    shown = await checkin(handlers, BO, chat=ROOM)  # anyone may look
    assert shown.text == "Daily check-in at 21:00 (Asia/Shanghai). Next: today, 21:00."
    assert (await checkin(handlers, BO)).text.startswith("There is no daily check-in here")
    # An admin without a zone: the room's, else their own.
    await checkin(handlers, ANN, "07:00", "Tokyo")
    await checkin(handlers, ANN, "22:00", chat=Chat("telegram", "-600", "group"), admin=True)
    assert (await rows(app))[-1].zone == "Asia/Tokyo"


async def _send(app: App, clock: Clock, outbound: RecordingOutbound | None = None) -> Reply:
    """Run the tick at the check-in's time; the question it sent."""
    outbound = outbound or RecordingOutbound()
    clock.now = (await rows(app))[0].next_due_at + timedelta(seconds=5)
    await CheckinSender(app.sessions, {"telegram": outbound}, app.settings, clock).tick()
    return outbound.sent[-1][1]


async def test_a_button_answer_is_a_checkin_mood_answered_with_tracks(
    handlers: Handlers, app: App, clock: Clock
) -> None:
    await checkin(handlers, ANN, "21:00", "Shanghai")
    question = await _send(app, clock)
    sadness = question.buttons[0][3]
    assert sadness.label == "😢 sadness"
    press = decode(sadness.data)
    assert press.owner is None and press.action == CheckinAnswer(send_id_of(question),
                                                                      "sadness")  # fmt: skip
    reply = await handlers.checkins.on_answer(ANN, press.action, "101")
    assert reply.ok and reply.text.startswith("Thanks for checking in: you feel sadness.")
    assert len(reply.tracks) == app.settings.recommend_k
    assert all(t.track.title.startswith("sadness") for t in reply.tracks)
    async with app.sessions() as session:
        stored = list(await session.scalars(select(MoodReading)))
    assert [(m.kind, m.modality, m.confidence) for m in stored] == [("checkin", "checkin", 1.0)]
    twice = await handlers.checkins.on_answer(ANN, press.action, "101")
    assert (
        not twice.ok and twice.text == "You already answered this check-in. Tell me more any time."
    )
    stranger = await handlers.checkins.on_answer(BO, press.action, "102")  # not their check-in
    assert not stranger.ok and stranger.text.startswith("That check-in is no longer here")
    forged = await handlers.checkins.on_answer(ANN, CheckinAnswer(999_999, "fear"), "101")
    assert not forged.ok and forged.text.startswith("That check-in is no longer here")


async def test_the_room_answers_each_once(handlers: Handlers, app: App, clock: Clock) -> None:
    await checkin(handlers, ANN, "21:00", "Shanghai", chat=ROOM, admin=True)
    question = await _send(app, clock)
    happy = decode(question.buttons[0][0].data).action
    first = await handlers.checkins.on_answer(ANN, happy, ROOM.chat_id)
    second = await handlers.checkins.on_answer(BO, happy, ROOM.chat_id)
    assert first.ok and second.ok
    assert not (await handlers.checkins.on_answer(BO, happy, ROOM.chat_id)).ok
    elsewhere = await handlers.checkins.on_answer(BO, happy, "-999")  # pressed in another chat
    assert not elsewhere.ok
    async with app.sessions() as session:
        stored = list(await session.scalars(select(MoodReading)))
    assert sorted(m.chat_id for m in stored) == ["-500", "-500"]


async def test_the_weeks_last_check_in_brings_the_weeks_chart(
    handlers: Handlers, app: App, clock: Clock
) -> None:
    """Sunday's answer gets a chart of the 7 local days to Sunday, from this person's moods
    (a fear on Thursday counts; an anger the Sunday before does not)."""
    await checkin(handlers, ANN, "21:00", "Shanghai")
    async with app.sessions() as session, session.begin():
        ann = await persons.get(session, "telegram", "101")
        for at, codes in ((utc(2026, 3, 5, 4), {"NI": 1.0}), (utc(2026, 3, 1, 4), {"NA": 1.0})):
            await moods.record(session, ann.id, EmotionVector.from_scores(codes), 0.9, "text",
                               at=at)  # fmt: skip
    question = await _send(app, clock)
    reply = await handlers.checkins.on_answer(
        ANN, decode(question.buttons[0][0].data).action, "101"
    )
    assert reply.attachment is not None and reply.attachment.filename == "week.png"
    assert reply.attachment.data.startswith(b"\x89PNG")
    assert reply.text.splitlines()[-1] == "📊 Your week: 😨 fear 100%."
    assert reply.tracks  # the answer itself is there too


async def test_a_weekday_answer_has_no_chart(handlers: Handlers, app: App, clock: Clock) -> None:
    clock.now = utc(2026, 3, 9, 12)  # Monday
    await checkin(handlers, ANN, "21:00", "Shanghai")
    question = await _send(app, clock)
    reply = await handlers.checkins.on_answer(
        ANN, decode(question.buttons[0][0].data).action, "101"
    )
    assert reply.ok and reply.attachment is None


async def test_words_soon_after_a_check_in_answer_it(
    handlers: Handlers, app: App, clock: Clock
) -> None:
    await checkin(handlers, ANN, "21:00", "Shanghai")
    await _send(app, clock)
    handlers.checkins.view._read_at = float("-inf")  # read what the tick just sent

    async def words(kind: str) -> Reply:
        return await handlers.conversation.on_text(ANN, "I feel sad and lonely", "101", kind=kind)

    first = await handlers.checkins.reply_to(ANN, Chat("telegram", "101"), words)
    second = await handlers.checkins.reply_to(ANN, Chat("telegram", "101"), words)
    assert first.ok and second.ok
    assert first.attachment is not None  # Sunday's: the week's chart
    async with app.sessions() as session:
        kinds = [
            m.kind for m in await session.scalars(select(MoodReading).order_by(MoodReading.id))
        ]
    assert kinds == ["checkin", "reading"]  # only the first message answers it
    elsewhere = await handlers.checkins.reply_to(BO, Chat("telegram", "102"), words)
    assert elsewhere.attachment is None


async def test_an_unreachable_chat_resumes_when_it_writes_again(
    handlers: Handlers, app: App, clock: Clock
) -> None:
    await checkin(handlers, ANN, "21:00", "Shanghai")
    blocked = RecordingOutbound(answers={"101": Delivery.UNREACHABLE})
    await _send(app, clock, blocked)
    assert (await rows(app))[0].unreachable_at is not None
    clock.now = utc(2026, 3, 10, 2)  # Tuesday 10:00 in Shanghai: they write again
    handlers.checkins.view._read_at = float("-inf")
    await handlers.checkins.heard_from(Chat("telegram", "101"))
    (row,) = await rows(app)
    assert row.unreachable_at is None
    assert (row.next_due_day, row.next_due_at) == (date(2026, 3, 10), utc(2026, 3, 10, 13))
    await handlers.checkins.heard_from(Chat("telegram", "101"))  # a no-op now


async def test_export_and_forget(handlers: Handlers, app: App, clock: Clock) -> None:
    await checkin(handlers, ANN, "21:00", "Shanghai")
    await _send(app, clock)
    async with app.sessions() as session:
        ann = await persons.get(session, "telegram", "101")
        data = await export_person(session, ann)
    json.dumps(data)  # serialisable as the /export file
    assert [(c["time"], c["zone"]) for c in data["checkins"]] == [("21:00", "Asia/Shanghai")]
    assert [(s["day"], s["status"]) for s in data["checkin_sends"]] == [("2026-03-08",
                                                                        "delivered")]  # fmt: skip
    async with app.sessions() as session, session.begin():
        await persons.forget(session, ann.id)
    assert await rows(app) == []
