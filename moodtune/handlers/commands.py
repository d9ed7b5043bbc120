"""Commands: /start /help /mode /mood /export /forget /privacy /playlist /checkin,
platform-neutral."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from moodtune.emotion_engines.engine import run_blocking
from moodtune.handlers.actions import Forget
from moodtune.handlers.checkins import Checkins
from moodtune.handlers.conversation import Services
from moodtune.handlers.export import export_json, export_person
from moodtune.handlers.language import language_for
from moodtune.handlers.messages import say
from moodtune.handlers.mood_chart import DAYS, MoodPoint, render_mood_chart, top_groups_line
from moodtune.handlers.playlists import Playlists
from moodtune.handlers.replies import Attachment, Chat, Choice, Reply, Sender
from moodtune.storage import moods, persons
from moodtune.storage.models import MODES

log = logging.getLogger(__name__)

YES = ("yes", "y", "是", "是的", "确定", "好")  # typed answers, where people type (terminal, web)
NO = ("no", "n", "否", "不", "不要", "取消")
FORGET_ANSWER_SECONDS = 10 * 60  # a /forget confirmation older than this has expired
COMMANDS = (
    "start", "help", "mode", "mood", "export", "forget", "privacy", "playlist", "checkin",
)  # fmt: skip
DESCRIPTIONS = {
    "start": ("say hello", "打个招呼"),
    "help": ("what I can do", "我能做什么"),
    "mode": ("auto, match or lift your mood", "自动、贴合心情，或让心情好起来"),
    "mood": ("your mood over 30 days", "最近 30 天的心情图"),
    "export": ("everything I store about you", "导出我保存的关于你的数据"),
    "forget": ("erase everything about you", "删除关于你的一切"),
    "privacy": ("what I keep and what I don't", "我保存什么、不保存什么"),
    "playlist": ("a playlist for everyone in a group", "给群里所有人的歌单"),
    "checkin": ("a daily check-in: /checkin 21:00 Shanghai", "每日心情问候：/checkin 21:00 北京"),
}


def command_menu(language: str) -> list[tuple[str, str]]:
    """(command, one-line description) for a platform's command menu."""
    zh = language.startswith("zh")
    return [(name, DESCRIPTIONS[name][1 if zh else 0]) for name in COMMANDS]


class Commands:
    def __init__(self, app: Services, clock: Callable[[], float] = time.time) -> None:
        self.app = app
        self._clock = clock
        self.playlists = Playlists(app)  # group chats
        self.checkins = Checkins(app, clock)

    def language(self, sender: Sender) -> str:
        return language_for(self.app.settings.language, sender.language)

    async def run(
        self,
        sender: Sender,
        name: str,
        args: Sequence[str] = (),
        chat: Chat | None = None,
        is_admin: bool = False,
    ) -> Reply:
        """Answer one command; `name` without the slash, `args` the words after it; `chat`
        where it was sent (None: the person's private chat) and whether the sender is an
        admin there (a group's check-in is an admin's to set)."""
        name = name.lower()
        language = self.language(sender)
        if name not in COMMANDS:
            return Reply(say("unknown_command", language, name=name[:40]), ok=False)
        if name in ("help", "privacy"):
            return Reply(say(name, language))
        if name == "start":
            return Reply(say("start", language, name=sender.display_name or "there"))
        if name == "mode":
            return await self.mode(sender, args, language)
        if name == "playlist":
            return await self.playlists.playlist(sender, chat, args)
        if name == "mood" and chat is not None and chat.is_group:
            return await self.playlists.room_mood(sender, chat)
        if name == "mood":
            return await self.mood(sender, language)
        if name == "export":
            return await self.export(sender, language)
        if name == "checkin":
            return await self.checkins.command(sender, chat, args, is_admin)
        return self.ask_to_forget(language)

    async def mode(self, sender: Sender, args: Sequence[str], language: str) -> Reply:
        wanted = args[0].lower() if args else None
        if wanted is not None and wanted not in MODES:
            return Reply(say("mode_usage", language), ok=False)
        people = self.app.people
        mode = await people.mode(
            sender.platform, sender.user_id, wanted, sender.display_name, sender.language
        )
        return Reply(say("mode_now" if wanted is None else "mode_set", language, mode=mode))

    async def mood(self, sender: Sender, language: str) -> Reply:
        """A PNG of the last 30 days, and its gist in words for adapters that show no image."""
        now = datetime.fromtimestamp(self._clock(), UTC)
        async with self.app.sessions() as session:
            person = await persons.get(session, sender.platform, sender.user_id)
            rows = await moods.since(session, person.id, now - timedelta(days=DAYS), limit=5000) \
                if person else []  # fmt: skip
        points = [MoodPoint(r.created_at, r.vector, r.confidence) for r in rows]
        if not any(p.confidence > 0 for p in points):
            return Reply(say("mood_empty", language))
        png = await run_blocking(
            render_mood_chart, points, language, now.date(),
            workers=self.app.settings.analysis_workers,
        )  # fmt: skip
        top = top_groups_line(points, language)
        text = say("mood_summary", language, count=len(points), top=top)
        return Reply(text, attachment=Attachment("mood.png", png, "image/png"))

    async def export(self, sender: Sender, language: str) -> Reply:
        async with self.app.sessions() as session:
            person = await persons.get(session, sender.platform, sender.user_id)
            if person is None:
                return Reply(say("nothing_stored", language))
            data = await export_person(session, person)
        attachment = Attachment("moodtune-export.json", export_json(data), "application/json")
        return Reply(say("export_caption", language), attachment=attachment)

    def ask_to_forget(self, language: str) -> Reply:
        asked_at = int(self._clock())
        return Reply(
            say("forget_ask", language),
            choices=(
                Choice(say("forget_yes", language), Forget(True, asked_at), YES),
                Choice(say("forget_no", language), Forget(False, asked_at), NO),
            ),
        )

    async def on_forget(self, sender: Sender, answer: Forget) -> Reply:
        """The answer to /forget: erase every row about the person, if confirmed in time."""
        language = self.language(sender)
        age = self._clock() - answer.asked_at
        if not answer.confirmed:
            return Reply(say("forget_cancelled", language))
        if not -60 <= age <= FORGET_ANSWER_SECONDS:  # a little clock skew is fine
            return Reply(say("forget_expired", language), ok=False)
        rows = await self.app.people.forget(sender.platform, sender.user_id)
        if rows is None:
            return Reply(say("nothing_stored", language))
        log.info("a person asked to be forgotten: %d rows erased", rows)
        return Reply(say("forgotten", language, rows=rows))
