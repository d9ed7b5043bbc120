"""Discord messages in, durably: each stored in the inbox the moment it arrives (what
arrives together is stored in one write), then answered in order per channel, and marked
sent once Discord took the answer.

Discord never delivers a message again: one that was being answered when the process
stopped is known only from the inbox, so the inbox keeps what it takes to answer it then:
the neutral messages (moodtune.handlers.incoming) and where to reply. At the next start
they are answered (or, if too old, apologised for), and an answer stored but not known to
be sent is sent again. Slash commands and presses are not stored: Discord's 3 seconds for
their first answer are long gone by then, and it has told the person so.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import discord

from moodtune.bot.discord.media import AttachmentFetcher
from moodtune.bot.discord.render import render_reply
from moodtune.bot.discord.translate import PLATFORM
from moodtune.handlers.chat_order import ChatOrder
from moodtune.handlers.dispatch import Handlers
from moodtune.handlers.incoming import Media, Message
from moodtune.handlers.replies import Chat, Reply, Sender
from moodtune.storage.inbox import Received
from moodtune.storage.models import InboxEvent
from moodtune.storage.types import utc_now

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Target:
    """The message an answer replies to."""

    channel_id: int
    message_id: int
    guild_id: int | None


@dataclass(frozen=True, slots=True)
class Incoming:
    """One Discord message as the core reads it (one neutral message per attachment), where
    to answer, and whether it reached the bot without its words (see client.py)."""

    target: Target
    messages: tuple[Message, ...]
    urls: tuple[str | None, ...]  # each message's attachment, to fetch it again after a restart
    hidden: bool = False

    @property
    def event_id(self) -> str:
        return str(self.target.message_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "target": [self.target.channel_id, self.target.message_id, self.target.guild_id],
            "hidden": self.hidden,
            "messages": [
                _message_json(m, url) for m, url in zip(self.messages, self.urls, strict=True)
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], fetcher: AttachmentFetcher) -> Incoming:
        channel_id, message_id, guild_id = data["target"]
        messages = tuple(_message_from(m, fetcher) for m in data["messages"])
        urls = tuple((m.get("media") or {}).get("url") for m in data["messages"])
        target = Target(channel_id, message_id, guild_id)
        return cls(target, messages, urls, data.get("hidden", False))


def _message_json(message: Message, url: str | None) -> dict[str, Any]:
    sender, chat, media = message.sender, message.chat, message.media
    return {
        "event_id": message.event_id,
        "sender": [sender.user_id, sender.display_name, sender.language],
        "chat": [chat.chat_id, chat.kind, chat.title],
        "text": message.text,
        "addressed": message.addressed,
        "command": [message.command[0], list(message.command[1])] if message.command else None,
        "is_admin": message.is_admin,
        "media": None if media is None else {
            "kind": media.kind, "size": media.size, "url": url,
            "media_type": media.media_type, "filename": media.filename,
        },
    }  # fmt: skip


def _message_from(data: dict[str, Any], fetcher: AttachmentFetcher) -> Message:
    user_id, name, language = data["sender"]
    chat_id, kind, title = data["chat"]
    media = data.get("media")
    command = data.get("command")
    return Message(
        event_id=data["event_id"],
        sender=Sender(PLATFORM, user_id, name, language),
        chat=Chat(PLATFORM, chat_id, kind, title),
        text=data.get("text"),
        media=None if media is None else Media(
            media["kind"], media["size"], fetcher.fetcher(media["url"]), media["media_type"],
            media["filename"],
        ),
        addressed=data.get("addressed", True),
        command=(command[0], tuple(command[1])) if command else None,
        is_admin=data.get("is_admin", False),
    )  # fmt: skip


Answer = Callable[[Incoming], Awaitable[None]]


class Intake:
    """Stores each message as it arrives, then has `answer` answer it in order per channel."""

    def __init__(
        self, handlers: Handlers, answer: Answer, fetcher: AttachmentFetcher, concurrent: int
    ) -> None:
        self.handlers = handlers
        self.answer = answer
        self.fetcher = fetcher
        self.order = ChatOrder(concurrent)
        self._arrived: list[Incoming] = []
        self._storing: asyncio.Task[None] | None = None

    def accept(self, incoming: Incoming) -> None:
        """Take a message: stored with whatever else arrives meanwhile, then answered."""
        self._arrived.append(incoming)
        if self._storing is None:
            self._storing = asyncio.create_task(self._store())

    async def _store(self) -> None:
        await asyncio.sleep(0)  # let the messages that came in the same read join this write
        arrived, self._arrived, self._storing = self._arrived, [], None
        received = [
            Received(i.event_id, str(i.target.channel_id), i.messages[0].sender.user_id,
                     i.to_json())
            for i in arrived
        ]  # fmt: skip
        outage = self.handlers.app.outage
        try:
            fresh = await outage.retrying(lambda: self.handlers.receive(PLATFORM, received))
        except Exception:  # Discord will not deliver them again: answered all the same
            log.exception("%d Discord messages could not be stored; answered anyway", len(arrived))
            fresh = {i.event_id for i in arrived}
        for incoming in arrived:
            if incoming.event_id in fresh:  # else delivered twice: answered the first time
                self.order.submit(incoming.target.channel_id, lambda i=incoming: self.answer(i))

    async def replay(
        self, stale_after: float, send: Callable[[Target, Reply, str], Awaitable[bool]]
    ) -> int:
        """Answer what was stored but not answered (or not known to be sent) before the last
        stop, in order; a message older than `stale_after` seconds gets an apology."""
        pending = await self.handlers.pending(PLATFORM)
        oldest = utc_now() - timedelta(seconds=stale_after)
        for event in pending:
            incoming = Incoming.from_json(event.payload, self.fetcher)
            work = self._again(event, incoming, event.received_at < oldest, send)
            self.order.submit(incoming.target.channel_id, work)
        if pending:
            log.info("answering %d Discord messages left from before the restart", len(pending))
        return len(pending)

    def _again(
        self,
        event: InboxEvent,
        incoming: Incoming,
        stale: bool,
        send: Callable[[Target, Reply, str], Awaitable[bool]],
    ) -> Callable[[], Awaitable[None]]:
        async def work() -> None:
            first = incoming.messages[0]
            if event.done_at is not None:  # answered; the answer may not have gone out
                stored = await self.handlers.stored_answer(event, first.sender)
                if stored is None:
                    await self.answer(incoming)
                elif await send(incoming.target, stored, first.event_id):
                    self.handlers.delivered(PLATFORM, incoming.event_id)
            elif stale:
                apology = await self.handlers.too_late(first)
                if await send(incoming.target, apology, first.event_id):
                    self.handlers.delivered(PLATFORM, incoming.event_id)
            else:
                await self.answer(incoming)

        return work


def target_of(message: discord.Message) -> Target:
    return Target(message.channel.id, message.id, message.guild.id if message.guild else None)


def replying_to(client: discord.Client, target: Target) -> dict[str, Any]:
    """Where an answer goes and whom it quotes (the channel need not be in discord.py's
    cache: after a restart it is not)."""
    return {
        "channel": client.get_partial_messageable(target.channel_id, guild_id=target.guild_id),
        "reference": discord.MessageReference(
            message_id=target.message_id, channel_id=target.channel_id,
            guild_id=target.guild_id, fail_if_not_exists=False,
        ),
    }  # fmt: skip


async def send_reply(client: discord.Client, target: Target, reply: Reply, nonce: str) -> bool:
    """Answer the message at `target`, quoting it; whether Discord took it.

    `nonce` names this answer (the event it answers): Discord creates one message per nonce
    within a few minutes and returns that one again to a second send, so an answer sent
    again after a restart (its "sent" mark lost with the process) does not show twice."""
    where = replying_to(client, target)
    kwargs = render_reply(reply).send_kwargs()
    try:
        await where["channel"].send(reference=where["reference"], nonce=nonce, **kwargs)
    except discord.HTTPException as error:
        log.warning("Discord refused a reply: %s %s", error.status, error.code)
        return False
    return True
