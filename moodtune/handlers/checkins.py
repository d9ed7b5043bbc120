"""Daily check-ins in the conversation: the /checkin command, the question, its answers.

    /checkin HH:MM [zone]   ask here every day at HH:MM local time (zone: a city, an IANA
                            name or a UTC offset; left out: the zone stated last)
    /checkin [zone]         the same time of day, in another zone
    /checkin                the setting and the next time, in local time
    /checkin off            stop; /checkin skip: skip the next one

In a group the check-in is the room's: only an admin sets, skips or stops it (the
connector says who is one), and anyone there may answer. An answer, a mood button under
the question or a message soon after it, is stored as a mood of kind "checkin" and
answered with tracks; the answer to the week's last check-in (the one on a Sunday) also
gets the week's mood chart. Sending the questions is checkin_tick's job.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from datetime import time as TimeOfDay

from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.emotion import GROUPS
from moodtune.emotion_engines.engine import run_blocking
from moodtune.emotion_engines.reading import Evidence, Reading
from moodtune.handlers.actions import CheckinAnswer
from moodtune.handlers.buttons import checkin_buttons
from moodtune.handlers.checkin_view import CheckinView
from moodtune.handlers.conversation import Conversation, Services
from moodtune.handlers.daily_time import (
    TimeOfDayError,
    local_day,
    next_due,
    occurrence,
    parse_time_of_day,
)
from moodtune.handlers.language import language_for
from moodtune.handlers.messages import group_label, group_name, say
from moodtune.handlers.mood_chart import MoodPoint, render_mood_chart, top_groups_line
from moodtune.handlers.replies import Attachment, Chat, Choice, Reply, Sender
from moodtune.handlers.time_zones import ZoneError, resolve_zone, zone_info
from moodtune.recommender.mood_state import correction_vector
from moodtune.storage import checkins, moods, persons
from moodtune.storage.checkins import Asked
from moodtune.storage.models import CheckIn, Person

OFF = frozenset({"off", "stop", "关", "关闭"})
SKIP = frozenset({"skip", "跳过"})
WEEK = 7
WEEKDAYS_ZH = "一二三四五六日"
Respond = Callable[[str], Awaitable[Reply]]  # the mood's kind → the reply (storing the mood)


def question(send_id: int, language: str) -> Reply:
    """The check-in itself: the question and the 7 mood groups to answer with, as
    choices (the terminal numbers them) and as buttons, four to a row."""
    choices = tuple(
        Choice(group_label(group, language), CheckinAnswer(send_id, group)) for group in GROUPS
    )
    text = say("checkin_question", language)
    return Reply(text, choices=choices, buttons=checkin_buttons(send_id, language))


def when(instant: datetime, zone: str, now: datetime, language: str) -> str:
    """An instant as the chat's local clock shows it: 'today, 21:00', 'Mon 9 Mar, 21:00'."""
    tz = zone_info(zone)
    local, today = instant.astimezone(tz), now.astimezone(tz).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return say("checkin_today", language, time=clock)
    if local.date() == today + timedelta(days=1):
        return say("checkin_tomorrow", language, time=clock)
    if language.startswith("zh"):
        return f"{local.month}月{local.day}日 周{WEEKDAYS_ZH[local.weekday()]} {clock}"
    return f"{local:%a} {local.day} {local:%b}, {clock}"


def zone_problem(error: ZoneError, language: str) -> Reply:
    if error.reason == "offset_range":
        return Reply(say("checkin_offset_range", language, given=error.given), ok=False)
    if error.reason == "too_long":
        return Reply(say("checkin_zone_too_long", language), ok=False)
    if error.suggestions:
        joiner = " / " if language.startswith("zh") else " or "
        names = joiner.join(error.suggestions)
        return Reply(say("checkin_zone_typo", language, given=error.given, suggestions=names),
                     ok=False)  # fmt: skip
    return Reply(say("checkin_zone_unknown", language, given=error.given), ok=False)


def time_problem(error: TimeOfDayError, language: str) -> Reply:
    key = "checkin_time_range" if error.reason == "range" else "checkin_bad_time"
    return Reply(say(key, language, given=error.given), ok=False)


class Checkins:
    def __init__(self, app: Services, clock: Callable[[], float] = time.time) -> None:
        self.app = app
        self._clock = clock
        self.conversation = Conversation(app)
        window = timedelta(hours=app.settings.checkin_answer_hours)
        self.view = CheckinView(app.sessions, window, self.now)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def language(self, sender: Sender, text: str = "") -> str:
        return language_for(self.app.settings.language, sender.language, text)

    # The command.

    async def command(
        self, sender: Sender, chat: Chat | None, args: Sequence[str], is_admin: bool = False
    ) -> Reply:
        """/checkin and its arguments; `chat` None: the person's private chat (terminal)."""
        chat = chat or Chat(sender.platform, sender.user_id)
        language = self.language(sender, " ".join(args))
        if not args:
            return await self.show(chat, language)
        if chat.is_group and not is_admin:
            return Reply(say("checkin_admins_only", language), ok=False)
        first = args[0].casefold()
        if first in OFF and len(args) == 1:
            return await self.turn_off(chat, language)
        if first in SKIP and len(args) == 1:
            return await self.skip(chat, language)
        at, zone_words = None, list(args)
        if first[:1].isdigit():  # meant as a time: "21:00", "9", "25:00"
            try:
                at = parse_time_of_day(args[0])
            except TimeOfDayError as error:
                return time_problem(error, language)
            zone_words = zone_words[1:]
        zone = None
        if zone_words:
            try:
                zone = resolve_zone(" ".join(zone_words)).name
            except ZoneError as error:
                return zone_problem(error, language)
        return await self.set(sender, chat, at, zone, language)

    async def set(
        self, sender: Sender, chat: Chat, at: TimeOfDay | None, zone: str | None, language: str
    ) -> Reply:
        """Ask here every day at `at` in `zone`; either may be left as it was (the zone
        also from the person's own check-in). The next due instant is computed afresh: a
        new zone moves it, and a local day already sent is not sent again."""
        now = self.now()
        async with self.app.sessions() as session, session.begin():
            row = await checkins.get(session, chat.platform, chat.chat_id)
            person = await self._person(session, sender, create=not chat.is_group)
            zone = zone or (row.zone if row else None)
            if zone is None and person is not None:
                own = await checkins.of_person(session, person.id)
                zone = own.zone if own else None
            if at is None and row is not None:
                at = row.local_time
            if at is None:
                return Reply(say("checkin_none", language), ok=False)
            if zone is None:
                return Reply(say("checkin_which_zone", language, time=f"{at:%H:%M}"), ok=False)
            taken = await self._sent_days(session, row, zone, now)
            day, instant = next_due(at, zone_info(zone), now, taken=taken)
            await checkins.save(
                session, platform=chat.platform, chat_id=chat.chat_id, chat_kind=chat.kind,
                person_id=None if chat.is_group else person.id if person else None,
                local_time=at, zone=zone, language=language, next_due_at=instant,
                next_due_day=day,
            )  # fmt: skip
        key = "checkin_set_group" if chat.is_group else "checkin_set"
        shown = when(instant, zone, now, language)
        return Reply(say(key, language, time=f"{at:%H:%M}", zone=zone, next=shown))

    async def show(self, chat: Chat, language: str) -> Reply:
        now = self.now()
        async with self.app.sessions() as session:
            row = await checkins.get(session, chat.platform, chat.chat_id)
        if row is None:
            return Reply(say("checkin_none", language))
        at = f"{row.local_time:%H:%M}"
        if row.paused:
            return Reply(say("checkin_now_off", language, time=at, zone=row.zone))
        shown = when(row.next_due_at, row.zone, now, language)
        if row.skip_next:
            after = when(self._after(row), row.zone, now, language)
            text = say("checkin_now_skipping", language, time=at, zone=row.zone,
                       skipped=shown, next=after)  # fmt: skip
            return Reply(text)
        return Reply(say("checkin_now", language, time=at, zone=row.zone, next=shown))

    async def turn_off(self, chat: Chat, language: str) -> Reply:
        async with self.app.sessions() as session, session.begin():
            row = await checkins.get(session, chat.platform, chat.chat_id)
            if row is None or row.paused:
                return Reply(say("checkin_nothing_to_change", language), ok=False)
            await checkins.set_paused(session, row.id, True)
        return Reply(say("checkin_off", language, time=f"{row.local_time:%H:%M}"))

    async def skip(self, chat: Chat, language: str) -> Reply:
        """Skip the next check-in (once: a second /checkin skip skips nothing more)."""
        now = self.now()
        async with self.app.sessions() as session, session.begin():
            row = await checkins.get(session, chat.platform, chat.chat_id)
            if row is None or row.paused:
                return Reply(say("checkin_nothing_to_change", language), ok=False)
            already = row.skip_next
            if not already:
                await checkins.set_skip_next(session, row.id, True)
        skipped = when(row.next_due_at, row.zone, now, language)
        after = when(self._after(row), row.zone, now, language)
        key = "checkin_already_skipping" if already else "checkin_skip"
        return Reply(say(key, language, skipped=skipped, next=after))

    @staticmethod
    def _after(row: CheckIn) -> datetime:
        """The check-in after the next one."""
        _, instant = next_due(row.local_time, zone_info(row.zone), row.next_due_at,
                              after=row.next_due_day)  # fmt: skip
        return instant

    @staticmethod
    async def _sent_days(
        session: AsyncSession, row: CheckIn | None, zone: str, now: datetime
    ) -> set[date]:
        """The local days around now already sent: not sent again after a change."""
        if row is None:
            return set()
        since = local_day(now, zone_info(zone)) - timedelta(days=2)
        return await checkins.sent_days(session, row.id, since)

    @staticmethod
    async def _person(session: AsyncSession, sender: Sender, create: bool) -> Person | None:
        if create:
            return await persons.get_or_create(
                session, sender.platform, sender.user_id, sender.display_name, sender.language
            )
        return await persons.get(session, sender.platform, sender.user_id)

    # The answers.

    async def on_answer(
        self, sender: Sender, answer: CheckinAnswer, chat_id: str | None = None
    ) -> Reply:
        """A mood button pressed under a check-in: by the person it asked, or in a group
        by anyone there; once per person and check-in."""
        language = self.language(sender)
        async with self.app.sessions() as session:
            found = await checkins.send_of(session, answer.send_id)
            person = await persons.get(session, sender.platform, sender.user_id)
        if found is None or not _may_answer(found[1], sender, person, chat_id):
            return Reply(say("checkin_gone", language), ok=False)
        send, checkin = found
        asked = Asked(send.id, send.created_at, send.local_day, checkin.platform,
                      checkin.chat_id, checkin.chat_kind, checkin.zone)  # fmt: skip
        if person is not None and await self._answered(person.id, asked):
            return Reply(say("checkin_answered", language), ok=False)
        group = answer.group
        said = Evidence(group, 1.0, GROUPS[group][2], {"source": "check-in"})
        reading = Reading(correction_vector(group), 1.0, (said,), "checkin", "person")
        header = say("checkin_thanks", language, group=group_name(group, language))
        reply = await self.conversation.answer(
            sender, reading, language, chat_id or checkin.chat_id, header, kind="checkin"
        )
        return await self._week_end(sender, asked, reply, language)

    async def reply_to(self, sender: Sender, chat: Chat, respond: Respond) -> Reply:
        """A feeling in words, a photo or a voice note: `respond(kind)` answers it, storing
        the mood as `kind`: "checkin" for the person's first such message within the
        answer window after a check-in was sent to this chat, else "reading"."""
        asked = await self.view.asked(chat.platform, chat.chat_id)
        if asked is not None:
            async with self.app.sessions() as session:
                person = await persons.get(session, sender.platform, sender.user_id)
            if person is not None and await self._answered(person.id, asked):
                asked = None
        if asked is None:
            return await respond("reading")
        reply = await respond("checkin")
        if not reply.ok:
            return reply
        return await self._week_end(sender, asked, reply, self.language(sender))

    async def heard_from(self, chat: Chat) -> None:
        """Anything from a chat (a message, a press): a check-in paused there because
        delivery was refused resumes, next due from now. Costs no database read unless the
        chat is paused (see CheckinView)."""
        if not await self.view.unreachable(chat.platform, chat.chat_id):
            return
        now = self.now()
        async with self.app.sessions() as session, session.begin():
            row = await checkins.get(session, chat.platform, chat.chat_id)
            if row is not None and row.unreachable_at is not None:
                taken = await self._sent_days(session, row, row.zone, now)
                day, instant = next_due(row.local_time, zone_info(row.zone), now, taken=taken)
                await checkins.reachable_again(session, row.id, instant, day)
        self.view.resumed(chat.platform, chat.chat_id)

    async def _answered(self, person_id: int, asked: Asked) -> bool:
        """Whether the person has answered this check-in already (in its chat)."""
        async with self.app.sessions() as session:
            since = await moods.since(session, person_id, asked.created_at, limit=50)
        return any(
            m.kind == "checkin" and (asked.chat_kind == "private" or m.chat_id == asked.chat_id)
            for m in since
        )

    async def _week_end(self, sender: Sender, asked: Asked, reply: Reply, language: str) -> Reply:
        """The answer to the week's last check-in (Sunday's) with the week's mood chart:
        the person's moods of the last 7 local days (in a group, those said there)."""
        if asked.local_day.isoweekday() != WEEK:
            return reply
        tz = zone_info(asked.zone)
        first = occurrence(TimeOfDay(0), tz, asked.local_day - timedelta(days=WEEK - 1))
        end = occurrence(TimeOfDay(0), tz, asked.local_day + timedelta(days=1))
        async with self.app.sessions() as session:
            person = await persons.get(session, sender.platform, sender.user_id)
            rows = await moods.since(session, person.id, first, limit=5000) if person else []
        points = [
            MoodPoint(m.created_at.astimezone(tz), m.vector, m.confidence)
            for m in rows
            if m.created_at < end and (asked.chat_kind == "private" or m.chat_id == asked.chat_id)
        ]
        png = await run_blocking(
            render_mood_chart, points, language, asked.local_day, WEEK,
            workers=self.app.settings.analysis_workers,
        )  # fmt: skip
        text = (
            f"{reply.text}\n{say('checkin_week', language, top=top_groups_line(points, language))}"
        )
        chart = Attachment("week.png", png, "image/png")
        return dataclasses.replace(reply, text=text, attachment=chart)


def _may_answer(
    checkin: CheckIn, sender: Sender, person: Person | None, chat_id: str | None
) -> bool:
    """A private check-in is its person's to answer; a group's, anyone's in that group."""
    if checkin.platform != sender.platform:
        return False
    if checkin.chat_kind == "private":
        return person is not None and checkin.person_id == person.id
    return chat_id == checkin.chat_id
