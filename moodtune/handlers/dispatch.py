"""The conversation core's front door: every connector hands it messages and button
presses, platform-neutral, and renders what comes back. Here, once for every platform:
duplicate events, the per-person flood guard, what a group message must be to be read,
file-size limits before a download, which buttons a reply carries, and what a press
changes on them.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from datetime import timedelta

from moodtune.emotion import EmotionVector
from moodtune.handlers.actions import CheckinAnswer, Correct, Forget, ShowGroups, Vote
from moodtune.handlers.buttons import (
    ButtonDataError,
    decode,
    keyboard_for,
    with_groups,
    with_vote,
    without_corrections,
)
from moodtune.handlers.chats import Chats
from moodtune.handlers.commands import Commands
from moodtune.handlers.conversation import Conversation, Services
from moodtune.handlers.documents import document_kind
from moodtune.handlers.incoming import FetchError, FileTooBigError, Message, Press
from moodtune.handlers.messages import say
from moodtune.handlers.messenger import Messenger
from moodtune.handlers.mood_text import mood_lines
from moodtune.handlers.outbound import Delivery
from moodtune.handlers.platforms import MB, file_limit, limits_of
from moodtune.handlers.rate_limit import Admission, PersonRateLimit
from moodtune.handlers.replies import Chat, OfferedTrack, PressOutcome, Reply, Sender
from moodtune.handlers.seen_events import SeenEvents
from moodtune.recommender.explain import explain
from moodtune.storage import inbox, recommendations
from moodtune.storage.models import InboxEvent
from moodtune.storage.outage import is_outage
from moodtune.storage.types import utc_now

log = logging.getLogger(__name__)
INBOX_KEPT = timedelta(days=1)  # done events kept to recognise late re-deliveries


class Handlers:
    def __init__(self, app: Services) -> None:
        self.app = app
        self.conversation = Conversation(app)
        self.commands = Commands(app)
        self.checkins = self.commands.checkins
        self._inboxed: set[tuple[str, str]] = set()  # events received into the inbox, not done
        self.limit = PersonRateLimit(app.settings.messages_per_minute)
        self.seen = SeenEvents()
        self.chats = Chats(app.sessions, app.people.writer)
        self.messenger = Messenger(self.chats)
        self.checkins = self.commands.checkins

    # Messages.

    async def receive(self, platform: str, events: Sequence[inbox.Received]) -> set[str]:
        """Store incoming events in the inbox before the platform is told they arrived; the
        ids of those not stored before. Raises when the database cannot take them: the
        connector then does not acknowledge them, and the platform delivers them again."""
        async with self.app.sessions() as session, session.begin():
            fresh = await inbox.receive(session, platform, events)
        self._inboxed.update((platform, event_id) for event_id in fresh)
        return fresh

    async def pending(self, platform: str) -> list[InboxEvent]:
        """Events stored but not done (the process stopped while handling them), in order."""
        async with self.app.sessions() as session:
            events = await inbox.pending(session, platform)
        self._inboxed.update((platform, event.event_id) for event in events)
        return events

    async def prune_inbox(self, kept: timedelta = INBOX_KEPT) -> int:
        """Delete events done longer ago than `kept` (kept that long so a late re-delivery
        is still recognised); how many went."""
        async with self.app.sessions() as session, session.begin():
            return await inbox.forget_done_before(session, utc_now() - kept)

    def _answering(self, platform: str, event_id: str) -> inbox.Answering | None:
        """The inbox entry this event is answered as; None for a connector that keeps no
        inbox (the terminal, the web chat): nothing to mark."""
        key = (platform, event_id)
        if key not in self._inboxed:
            return None
        self._inboxed.discard(key)
        return inbox.Answering(platform, event_id)

    async def on_message(self, message: Message) -> Reply | None:
        """The reply to one incoming message, its buttons filled in; None when nothing is to
        be said (a re-delivery, a group message not meant for the bot, a flood). The event
        is marked done in the inbox before this returns, with the rows its answer stored."""
        sender = message.sender
        if not self.seen.first_time(sender.platform, message.event_id):
            log.info("%s event %s delivered again; handled once", sender.platform, message.event_id)
            return None
        answering = self._answering(sender.platform, message.event_id)
        token = inbox.ANSWERING.set(answering)
        reply: Reply | None = None
        try:
            reply = await self._admitted(message)
            return reply
        finally:
            inbox.ANSWERING.reset(token)
            await self._done(answering, reply)

    def delivered(self, platform: str, event_id: str) -> None:
        """The platform took the answer to this event: nothing to send again after a restart
        (connectors that keep no inbox need not call this)."""
        self.app.people.writer.write_later(sent=[(platform, event_id)])

    async def stored_answer(self, event: InboxEvent, sender: Sender) -> Reply | None:
        """For an event answered before the last stop but not known to be sent: that answer
        again, from the offers it stored (the person may see it twice, never not at all).
        None when there is nothing stored to send: the event is to be handled again."""
        offers = (event.reply or {}).get("offers") or []
        if event.done_at is None or not offers:
            return None
        async with self.app.sessions() as session:
            stored = await recommendations.get_many(session, offers)
        tracks = self.app.catalog.tracks
        language = self.conversation.language(sender)
        shown = [r for r in stored if r.track_id in tracks]
        if not shown:
            return None
        mood = EmotionVector(shown[0].mood)
        offered = tuple(
            OfferedTrack(
                r.id, tracks[r.track_id], explain(mood, tracks[r.track_id], language=language)
            )
            for r in shown
        )
        lines = [
            self.say(sender, "sent_again"),
            *mood_lines(mood, language),
            self.say(sender, "tracks_header"),
        ]
        return self.finish(Reply("\n".join(lines), offered), sender)

    async def too_late(self, message: Message) -> Reply:
        """The answer to a message that waited too long (the bot was down): an apology,
        and the event done."""
        answering = self._answering(message.sender.platform, message.event_id)
        reply = self.finish(Reply(self.say(message.sender, "too_late")), message.sender)
        await self._done(answering, reply)
        return reply

    async def _admitted(self, message: Message) -> Reply | None:
        sender, chat = message.sender, message.chat
        if chat.is_group and not message.addressed:
            return None
        admission = self.admit(sender)
        if admission is Admission.REFUSED_QUIETLY:
            return None
        if admission is Admission.REFUSED_TELL:
            return self.finish(self.too_fast(sender), sender)
        self.chats.note(chat)
        await self.checkins.heard_from(chat)
        return self.finish(await self._answer(message), sender, message.text or "")

    async def _done(self, answering: inbox.Answering | None, reply: Reply | None) -> None:
        """Mark the event done, unless storing its answer did already (the usual case)."""
        if answering is None or answering.marked:
            return
        record = {"text": reply.text[:200]} if reply is not None else {"ignored": True}
        try:
            await self.app.people.writer.write(answered=[answering.done(record)])
        except Exception as error:  # the answer still goes out; a restart may answer again
            log.warning("could not mark %s event %s done: %s", *answering.done({})[:2], error)

    async def _answer(self, message: Message) -> Reply:
        sender, chat = message.sender, message.chat
        if message.command is not None and message.command[0] != "feel":
            name, args = message.command
            return await self.commands.run(sender, name, args, chat, message.is_admin)
        # A feeling: the answer to a check-in when one was just sent to this chat.
        return await self.checkins.reply_to(sender, chat, lambda kind: self._feeling(message, kind))

    async def _feeling(self, message: Message, kind: str) -> Reply:
        sender, chat, conversation = message.sender, message.chat, self.conversation
        text = message.text
        if message.command is not None:  # /feel …: words, and any photo or voice note with them
            text = " ".join(message.command[1])
            if not text and message.media is None:
                return Reply(self.say(sender, "feel_usage"), ok=False)
        media = message.media
        if media is None:
            if text and text.strip():
                return await conversation.on_text(sender, text, chat.chat_id, kind=kind)
            return Reply(self.say(sender, "unsupported_message"), ok=False)
        if media.kind == "sticker":
            return await conversation.on_sticker(sender, media.emoji, chat.chat_id, kind=kind)
        found = (
            media.kind
            if media.kind != "document"
            else document_kind(media.media_type, media.filename)
        )
        if found is None:
            name = media.filename or media.media_type or ""
            return conversation.unsupported_document(sender, name)
        data = await self._fetch(message, found)
        if isinstance(data, Reply):
            return data
        caption = text or None
        if media.kind == "document":
            return await conversation.on_document(
                sender, data, media.media_type, media.filename, caption, chat.chat_id, kind=kind
            )
        if found == "photo":
            return await conversation.on_photo(sender, data, caption, chat.chat_id, kind=kind)
        return await conversation.on_voice(sender, data, caption, chat.chat_id, kind=kind)

    async def _fetch(self, message: Message, kind: str) -> bytes | Reply:
        """The attachment's bytes, or a reply saying why they cannot be read. A file over the
        limit is refused from its announced size, before a byte is fetched."""
        media, sender = message.media, message.sender
        assert media is not None
        limit = file_limit(self.app.settings, sender.platform, kind)
        try:
            if media.size is not None and media.size > limit:
                raise FileTooBigError(media.size, limit)
            if media.fetch is None:
                raise FetchError("the platform gave no way to fetch the file")
            data = await media.fetch(limit)
            if len(data) > limit:
                raise FileTooBigError(len(data), limit)
            return data
        except FileTooBigError as error:
            shown = f"{error.limit / MB:.0f}"
            if error.size is None:
                return Reply(self.say(sender, "file_too_big_unknown", limit=shown), ok=False)
            size = f"{error.size / MB:.1f}"
            return Reply(self.say(sender, "file_too_big", size=size, limit=shown), ok=False)
        except FetchError as error:
            log.warning("could not fetch a file on %s: %s", sender.platform, error)
            return Reply(self.say(sender, "download_failed"), ok=False)

    # Button presses.

    async def on_press(self, press: Press) -> PressOutcome:
        """What a button press changes. Data moodtune did not make, or made for someone
        else's reply, is refused with a short notice and changes nothing. The event is
        marked done in the inbox before this returns."""
        sender = press.sender
        if not self.seen.first_time(sender.platform, press.event_id):
            log.info("%s press %s delivered again; handled once", sender.platform, press.event_id)
            return PressOutcome()
        answering = self._answering(sender.platform, press.event_id)
        outcome = PressOutcome()
        try:
            outcome = await self._pressed(press)
            return outcome
        finally:
            await self._done(answering, Reply(outcome.notice or outcome.text or ""))

    async def _pressed(self, press: Press) -> PressOutcome:
        sender = press.sender
        try:
            pressed = decode(press.data, limits_of(sender.platform).button_bytes)
        except ButtonDataError as error:
            log.info("refused a button press on %s: %s", sender.platform, error)
            return PressOutcome(notice=self.say(sender, "button_expired"))
        await self.checkins.heard_from(press.chat)
        if pressed.owner is None and isinstance(pressed.action, Vote):  # a room's playlist
            return await self.commands.playlists.on_vote(sender, press.chat, pressed.action)
        if pressed.owner is None and isinstance(pressed.action, CheckinAnswer):
            reply = await self.checkins.on_answer(sender, pressed.action, press.chat.chat_id)
            if not reply.ok:
                return PressOutcome(notice=reply.text)
            return PressOutcome(follow_up=self.finish(reply, sender))
        if pressed.owner != sender.user_id:
            return PressOutcome(notice=self.say(sender, "not_yours"), alert=True)
        language = self.conversation.language(sender)
        match pressed.action:
            case ShowGroups(offer):
                return PressOutcome(
                    buttons=with_groups(press.buttons, sender.user_id, offer, language)
                )
            case Vote(offer, value):
                reply = await self._vote(sender, offer, value)
                changed = with_vote(press.buttons, offer, value) if reply.ok else None
                return PressOutcome(notice=reply.text, buttons=changed)
            case Correct(offer, group):
                reply = await self.conversation.on_correction(
                    sender, offer, group, press.chat.chat_id
                )
                if not reply.ok:
                    return PressOutcome(notice=reply.text)
                follow_up = self.finish(reply, sender)
                return PressOutcome(buttons=without_corrections(press.buttons), follow_up=follow_up)
            case Forget():
                reply = await self.commands.on_forget(sender, pressed.action)
                return PressOutcome(buttons=(), text=reply.text)
        raise AssertionError(f"unhandled action {pressed.action!r}")

    async def _vote(self, sender: Sender, offer: int, value: int) -> Reply:
        """A vote that cannot be stored (the database is away) says so plainly."""
        try:
            return await self.conversation.on_feedback(sender, offer, value)
        except Exception as error:
            if not is_outage(error):
                raise
            self.app.outage.failed(error)
            return Reply(self.say(sender, "vote_not_saved"), ok=False)

    # What every reply goes through.

    def finish(self, reply: Reply, sender: Sender, text: str = "") -> Reply:
        """The reply with its buttons, owned by `sender` (only they may press them), unless
        it came with its own (a group playlist's, which anyone in the chat may press)."""
        if reply.buttons:
            return reply
        language = self.conversation.language(sender, text)
        return dataclasses.replace(reply, buttons=keyboard_for(reply, sender.user_id, language))

    async def member_left(self, chat: Chat, user_id: str) -> None:
        """Someone left a group (or was removed): their moods there no longer count."""
        await self.commands.playlists.member_left(chat, user_id)

    async def send(self, chat: Chat, reply: Reply, owner: Sender) -> bool:
        """A message the bot starts in `chat` (buttons owned by `owner`); whether it arrived."""
        delivery = await self.messenger.send(chat, self.finish(reply, owner))
        return delivery is Delivery.DELIVERED

    def admit(self, sender: Sender) -> Admission:
        """Whether to handle this person's next message (see PersonRateLimit)."""
        return self.limit.admit(f"{sender.platform}:{sender.user_id}")

    def too_fast(self, sender: Sender) -> Reply:
        language = self.conversation.language(sender)
        return Reply(say("too_fast", language, limit=self.limit.per_minute), ok=False)

    def say(self, sender: Sender, key: str, **values: object) -> str:
        """One of the bot's sentences, in this person's language."""
        return say(key, self.conversation.language(sender), **values)
