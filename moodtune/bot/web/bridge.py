"""Until the core's `Handlers.on_message` / `on_press` land on main: the same two calls,
made from today's Handlers, so the web connector is written against the final interface.

Delete this module once `moodtune.handlers.dispatch.Handlers` has both methods, and call
them directly (moodtune/bot/web/chat.py is the only caller).
"""

from __future__ import annotations

import dataclasses
import logging
from collections import OrderedDict

from moodtune.handlers.actions import Correct, Forget, ShowGroups, Vote
from moodtune.handlers.buttons import (
    ButtonDataError,
    decode,
    keyboard_for,
    with_groups,
    with_vote,
    without_corrections,
)
from moodtune.handlers.dispatch import Handlers
from moodtune.handlers.documents import document_kind
from moodtune.handlers.incoming import FetchError, FileTooBigError, Message, Press
from moodtune.handlers.platforms import MB, file_limit, limits_of
from moodtune.handlers.rate_limit import Admission
from moodtune.handlers.replies import PressOutcome, Reply, Sender

log = logging.getLogger(__name__)
SEEN_EVENTS = 50_000


class CoreBridge:
    """`on_message(Message) -> Reply | None` and `on_press(Press) -> PressOutcome`."""

    def __init__(self, handlers: Handlers) -> None:
        self.handlers = handlers
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()

    def _first_time(self, platform: str, event_id: str) -> bool:
        key = (platform, event_id)
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > SEEN_EVENTS:
            self._seen.popitem(last=False)
        return True

    async def on_message(self, message: Message) -> Reply | None:
        sender = message.sender
        if not self._first_time(sender.platform, message.event_id):
            return None
        if message.chat.is_group and not message.addressed:
            return None
        admission = self.handlers.admit(sender)
        if admission is Admission.REFUSED_QUIETLY:
            return None
        if admission is Admission.REFUSED_TELL:
            return self._finish(self.handlers.too_fast(sender), sender)
        return self._finish(await self._answer(message), sender, message.text or "")

    async def _answer(self, message: Message) -> Reply:
        sender, chat, conversation = message.sender, message.chat, self.handlers.conversation
        if message.command is not None:
            name, args = message.command
            return await self.handlers.commands.run(sender, name, args)
        media = message.media
        if media is None:
            if message.text and message.text.strip():
                return await conversation.on_text(sender, message.text, chat.chat_id)
            return Reply(self.handlers.say(sender, "unsupported_message"), ok=False)
        kind = media.kind if media.kind != "document" else document_kind(
            media.media_type, media.filename
        )  # fmt: skip
        if kind is None or kind == "sticker":
            return conversation.unsupported_document(sender, media.filename or "")
        data = await self._fetch(message, kind)
        if isinstance(data, Reply):
            return data
        if media.kind == "document":
            return await conversation.on_document(
                sender, data, media.media_type, media.filename, message.text, chat.chat_id
            )
        if kind == "photo":
            return await conversation.on_photo(sender, data, message.text, chat.chat_id)
        return await conversation.on_voice(sender, data, message.text, chat.chat_id)

    async def _fetch(self, message: Message, kind: str) -> bytes | Reply:
        media, sender = message.media, message.sender
        assert media is not None and media.fetch is not None
        limit = file_limit(self.handlers.app.settings, sender.platform, kind)
        try:
            if media.size is not None and media.size > limit:
                raise FileTooBigError(media.size, limit)
            data = await media.fetch(limit)
            if len(data) > limit:
                raise FileTooBigError(len(data), limit)
            return data
        except FileTooBigError as error:
            shown = f"{error.limit / MB:.0f}"
            if error.size is None:
                return Reply(
                    self.handlers.say(sender, "file_too_big_unknown", limit=shown), ok=False
                )
            size = f"{error.size / MB:.1f}"
            return Reply(
                self.handlers.say(sender, "file_too_big", size=size, limit=shown), ok=False
            )
        except FetchError as error:
            log.info("could not fetch a file on %s: %s", sender.platform, error)
            return Reply(self.handlers.say(sender, "download_failed"), ok=False)

    async def on_press(self, press: Press) -> PressOutcome:
        sender, handlers = press.sender, self.handlers
        if not self._first_time(sender.platform, press.event_id):
            return PressOutcome()
        try:
            pressed = decode(press.data, limits_of(sender.platform).button_bytes)
        except ButtonDataError:
            return PressOutcome(notice=handlers.say(sender, "button_expired"))
        if pressed.owner != sender.user_id:
            return PressOutcome(notice=handlers.say(sender, "not_yours"), alert=True)
        language = handlers.conversation.language(sender)
        match pressed.action:
            case ShowGroups(offer):
                return PressOutcome(
                    buttons=with_groups(press.buttons, sender.user_id, offer, language)
                )
            case Vote(offer, value):
                reply = await handlers.conversation.on_feedback(sender, offer, value)
                changed = with_vote(press.buttons, offer, value) if reply.ok else None
                return PressOutcome(notice=reply.text, buttons=changed)
            case Correct(offer, group):
                reply = await handlers.conversation.on_correction(
                    sender, offer, group, press.chat.chat_id
                )
                if not reply.ok:
                    return PressOutcome(notice=reply.text)
                follow_up = self._finish(reply, sender)
                return PressOutcome(buttons=without_corrections(press.buttons), follow_up=follow_up)
            case Forget():
                reply = await handlers.commands.on_forget(sender, pressed.action)
                return PressOutcome(buttons=(), text=reply.text)
        raise AssertionError(f"unhandled action {pressed.action!r}")

    def _finish(self, reply: Reply, sender: Sender, text: str = "") -> Reply:
        language = self.handlers.conversation.language(sender, text)
        return dataclasses.replace(reply, buttons=keyboard_for(reply, sender.user_id, language))
