"""The conversation, platform-neutral: a message in, a Reply out.

Adapters (terminal, Telegram, Discord) turn their updates into calls here and render the
Reply; nothing here knows which platform it runs on.
"""

from __future__ import annotations

import logging
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.config import Settings
from moodtune.emotion_engines.reading import Reading
from moodtune.errors import is_input_error
from moodtune.handlers.engines import Engines, Inputs
from moodtune.handlers.language import reply_language
from moodtune.handlers.messages import say
from moodtune.handlers.mood_text import confidence_line, mood_lines
from moodtune.handlers.replies import OfferedTrack, Reply, Sender
from moodtune.recommender.for_person import recommend_for_person
from moodtune.recommender.tracks import CatalogIndex
from moodtune.storage import feedback, persons
from moodtune.storage.models import Person

log = logging.getLogger(__name__)


class Services(Protocol):
    """What a conversation needs from the running bot (see moodtune.bot.app.App)."""

    settings: Settings
    engines: Engines
    sessions: async_sessionmaker[AsyncSession]
    catalog: CatalogIndex


class Conversation:
    def __init__(self, app: Services) -> None:
        self.app = app

    async def on_text(self, sender: Sender, text: str, chat_id: str | None = None) -> Reply:
        language = reply_language(text, sender.language or self.app.settings.language)
        return await self._on_message(sender, Inputs(text=text), language, chat_id)

    async def on_feedback(self, sender: Sender, recommendation_id: int, value: int) -> Reply:
        """A 👍 (+1) or 👎 (−1) on an offered track; idempotent, and changeable."""
        language = reply_language("", sender.language or self.app.settings.language)
        async with self.app.sessions() as session, session.begin():
            person = await self._person(session, sender)
            try:
                await feedback.vote(session, person.id, recommendation_id, value)
            except feedback.FeedbackError as error:
                log.info("vote refused for person %s: %s", person.id, error)
                return Reply(say("vote_unknown", language), ok=False)
        return Reply(say("vote_up" if value > 0 else "vote_down", language))

    async def _on_message(
        self, sender: Sender, inputs: Inputs, language: str, chat_id: str | None
    ) -> Reply:
        try:
            analysis = await self.app.engines.analyze(inputs)
        except ValueError as error:
            if not is_input_error(error):
                raise
            return Reply(str(error), ok=False)
        reading = analysis.fused
        if not reading.has_signal:
            return Reply(reading.note or say("no_signal", language), reading=reading, ok=False)
        return await self._recommend(sender, reading, language, chat_id)

    async def _recommend(
        self, sender: Sender, reading: Reading, language: str, chat_id: str | None
    ) -> Reply:
        async with self.app.sessions() as session, session.begin():
            person = await self._person(session, sender)
            picked = await recommend_for_person(
                session, person, reading, self.app.catalog, self.app.settings, language, chat_id
            )
        offered = tuple(OfferedTrack(rec_id, p.track, p.why) for rec_id, p in picked)
        lines = [
            *mood_lines(reading.vector, language),
            confidence_line(reading.confidence, language),
            say("tracks_header" if offered else "no_tracks", language),
        ]
        return Reply("\n".join(lines), offered, reading)

    async def _person(self, session: AsyncSession, sender: Sender) -> Person:
        return await persons.get_or_create(
            session,
            sender.platform,
            sender.user_id,
            sender.display_name,
            sender.language,
        )
