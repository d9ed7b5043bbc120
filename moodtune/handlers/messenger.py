"""Messages the bot starts: handed to the connector of the chat's platform, and a chat
that refuses them remembered as unreachable until someone writes there again."""

from __future__ import annotations

import logging

from moodtune.handlers.chats import Chats
from moodtune.handlers.outbound import Delivery, Outbound
from moodtune.handlers.replies import Chat, Reply

log = logging.getLogger(__name__)


class Messenger:
    def __init__(self, chats: Chats) -> None:
        self.chats = chats
        self._outbound: dict[str, Outbound] = {}

    def connect(self, outbound: Outbound) -> None:
        """A connector that can send on its platform (one per platform)."""
        self._outbound[outbound.platform] = outbound

    def disconnect(self, platform: str) -> None:
        self._outbound.pop(platform, None)

    @property
    def platforms(self) -> tuple[str, ...]:
        return tuple(self._outbound)

    def outbound(self, platform: str) -> Outbound:
        """Sending on `platform` through here (so a refusal is remembered for every sender),
        as the Outbound the check-in scheduler takes."""
        return _Through(self, platform)

    async def send(self, chat: Chat, reply: Reply) -> Delivery:
        """Send `reply` (its buttons filled in) into `chat`; how it went."""
        outbound = self._outbound.get(chat.platform)
        if outbound is None:
            log.warning("no connector for %s is running: message to a chat not sent", chat.platform)
            return Delivery.FAILED
        delivery = await outbound.send(chat, reply)
        if delivery is Delivery.UNREACHABLE:
            log.info("%s chat unreachable: no more messages until someone writes", chat.platform)
            await self.chats.unreachable(chat)
        return delivery


class _Through:
    def __init__(self, messenger: Messenger, platform: str) -> None:
        self.messenger = messenger
        self.platform = platform

    async def send(self, chat: Chat, reply: Reply) -> Delivery:
        return await self.messenger.send(chat, reply)
