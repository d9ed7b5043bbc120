"""The conversation, platform-neutral: a message in, a Reply out.

Adapters (terminal, Telegram, Discord) turn their updates into calls here and render the
Reply; nothing here knows which platform it runs on.
"""

from __future__ import annotations

import logging
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.config import Settings
from moodtune.emotion import GROUPS, describe
from moodtune.emotion_engines.analysis import Engines, Inputs
from moodtune.emotion_engines.reading import Evidence, Reading
from moodtune.emotion_engines.text.scripts import message_language
from moodtune.errors import InputError
from moodtune.handlers.documents import fetched_document_kind
from moodtune.handlers.language import language_for, speech_language
from moodtune.handlers.messages import group_name, say
from moodtune.handlers.mood_text import confidence_line, modality_lines, mood_lines
from moodtune.handlers.notes import note_text
from moodtune.handlers.replies import OfferedTrack, Reply, Sender
from moodtune.recommender.for_person import recommend_for_person
from moodtune.recommender.mood_state import correction_vector
from moodtune.recommender.people import People
from moodtune.recommender.person_state import PersonState
from moodtune.recommender.tracks import CatalogIndex
from moodtune.storage import feedback, persons, recommendations
from moodtune.storage.outage import Outage

log = logging.getLogger(__name__)


class Services(Protocol):
    """What a conversation needs from the running bot (see moodtune.bot.app.App)."""

    settings: Settings
    engines: Engines
    sessions: async_sessionmaker[AsyncSession]
    catalog: CatalogIndex
    people: People
    outage: Outage


class Conversation:
    def __init__(self, app: Services) -> None:
        self.app = app

    def language(self, sender: Sender, text: str = "") -> str:
        return language_for(self.app.settings.language, sender.language, text)

    async def on_text(
        self, sender: Sender, text: str, chat_id: str | None = None, *, kind: str = "reading"
    ) -> Reply:
        """Words. `kind` is how the mood is stored ("checkin": it answers a check-in)."""
        language = self.language(sender, text)
        return await self._on_message(sender, Inputs(text=text), language, chat_id, kind)

    async def on_photo(
        self,
        sender: Sender,
        photo: bytes,
        caption: str | None = None,
        chat_id: str | None = None,
        *,
        kind: str = "reading",
    ) -> Reply:
        """A photo, and its caption when there is one: both read, fused into one mood."""
        inputs = Inputs(text=caption or None, photo=bytes(photo))
        language = self.language(sender, caption or "")
        return await self._on_message(sender, inputs, language, chat_id, kind)

    async def on_voice(
        self,
        sender: Sender,
        voice: bytes,
        caption: str | None = None,
        chat_id: str | None = None,
        *,
        kind: str = "reading",
    ) -> Reply:
        """A voice note or an audio file (and a caption, which audio files can carry)."""
        spoken = speech_language(self.app.settings.language, sender.language, caption or "")
        inputs = Inputs(text=caption or None, voice=bytes(voice), language=spoken)
        language = self.language(sender, caption or "")
        return await self._on_message(sender, inputs, language, chat_id, kind)

    async def on_sticker(
        self,
        sender: Sender,
        emoji: str | None,
        chat_id: str | None = None,
        *,
        kind: str = "reading",
    ) -> Reply:
        """A sticker speaks through the emoji it was filed under."""
        if not emoji or not emoji.strip():
            return Reply(say("sticker_without_emoji", self.language(sender)), ok=False)
        return await self.on_text(sender, emoji, chat_id, kind=kind)

    async def on_document(
        self,
        sender: Sender,
        data: bytes,
        media_type: str | None,
        filename: str | None,
        caption: str | None = None,
        chat_id: str | None = None,
        *,
        kind: str = "reading",
    ) -> Reply:
        """A file: read as a photo or as sound when it is one, politely refused otherwise."""
        readable = fetched_document_kind(data, media_type, filename)
        if readable == "photo":
            return await self.on_photo(sender, data, caption, chat_id, kind=kind)
        if readable == "voice":
            return await self.on_voice(sender, data, caption, chat_id, kind=kind)
        return self.unsupported_document(sender, filename or media_type or "")

    def unsupported_document(self, sender: Sender, name: str) -> Reply:
        shown = name.strip()[:80] or ("这个文件" if self.language(sender) == "zh" else "that file")
        return Reply(say("unsupported_document", self.language(sender), name=shown), ok=False)

    async def on_feedback(self, sender: Sender, recommendation_id: int, value: int) -> Reply:
        """A 👍 (+1) or 👎 (−1) on an offered track; idempotent, and changeable."""
        language = self.language(sender)
        try:
            track_id = await self.app.people.vote(
                sender.platform, sender.user_id, recommendation_id, value
            )
        except feedback.FeedbackError as error:
            log.info("vote refused: %s", error)
            return Reply(say("vote_unknown", language), ok=False)
        track = self.app.catalog.tracks.get(track_id)
        title = track.title if track is not None else "?"
        return Reply(say("vote_up" if value > 0 else "vote_down", language, title=title))

    async def on_correction(
        self, sender: Sender, recommendation_id: int, group: str, chat_id: str | None = None
    ) -> Reply:
        """A correction ("that's not how I feel"): store their own mood and answer it.

        The correction refers to a reply they got (one of its recommendations), so no one
        can correct a mood on someone else's reply.
        """
        language = self.language(sender)
        async with self.app.sessions() as session:
            person = await persons.get(session, sender.platform, sender.user_id)
            offer = await recommendations.get(session, recommendation_id) if person else None
        if person is None or offer is None or offer.person_id != person.id:
            return Reply(say("correction_unknown", language), ok=False)
        said = Evidence(group, 1.0, GROUPS[group][2], {"source": "the person"})
        correction = Reading(correction_vector(group), 1.0, (said,), "correction", "person")
        header = say("correction_header", language, group=group_name(group, language))
        state = await self._person(sender)
        return await self._recommend(state, correction, language, chat_id, header, "correction")

    async def answer(
        self,
        sender: Sender,
        reading: Reading,
        language: str,
        chat_id: str | None = None,
        header: str | None = None,
        kind: str = "reading",
    ) -> Reply:
        """Store a reading made outside the engines (a check-in's answer) as the person's
        mood of `kind`, and answer it with tracks, as a correction is answered."""
        state = await self._person(sender)
        return await self._recommend(state, reading, language, chat_id, header, kind)

    async def _on_message(
        self, sender: Sender, inputs: Inputs, language: str, chat_id: str | None, kind: str
    ) -> Reply:
        try:
            analysis = await self.app.engines.analyze(inputs)
        except InputError as error:  # its sentence (a Note, with its code), in their language
            sentence = error.args[0] if error.args and isinstance(error.args[0], str) else ""
            said = note_text(sentence or str(error), language)
            return Reply(said or say("input_unusable", language), ok=False)
        reading = analysis.fused  # without signal, the person's recent moods may answer
        person = await self._person(sender)
        written = message_language(inputs.text or "")
        return await self._recommend(person, reading, language, chat_id, kind=kind, written=written)

    async def _recommend(
        self,
        person: PersonState,
        reading: Reading,
        language: str,
        chat_id: str | None,
        header: str | None = None,
        kind: str = "reading",
        written: str | None = None,
    ) -> Reply:
        """Store the reading as the person's latest mood (of `kind`), answer with tracks for
        the mood it decides (or their recent moods, when it says little), and show that
        mood, which one it is, and what this message (or correction) said."""
        answer = await recommend_for_person(
            self.app.people, person, reading, self.app.catalog, self.app.settings, language,
            chat_id, kind=kind, message_language=written,
        )  # fmt: skip
        if not answer.mood.has_signal:
            said = note_text(reading.note, language) or say("no_signal", language)
            return Reply(said, reading=reading, ok=False)
        offered = tuple(OfferedTrack(rec_id, p.track, p.why) for rec_id, p in answer.picks)
        used = "mood_used_now" if answer.from_now else "mood_used_earlier"
        tracks = "tracks_header" if answer.response == "match" else f"tracks_{answer.response}"
        lines = [
            *([header] if header else []),
            say(used, language, feeling=describe(answer.feeling, language)),
            *mood_lines(answer.mood.vector, language),
            confidence_line(answer.mood.confidence, language),
            *modality_lines(reading, language),
            say(tracks if offered else "no_tracks", language),
        ]
        return Reply("\n".join(lines), offered, reading, mood=answer.mood)

    async def _person(self, sender: Sender) -> PersonState:
        return await self.app.people.get(
            sender.platform, sender.user_id, sender.display_name, sender.language
        )
