"""Messages the bot starts itself (check-ins): the interface each connector implements.

The core sends a Reply to a person or a chat without an incoming event, and learns whether
it arrived: `UNREACHABLE` means the platform will not deliver it (the person blocked the
bot, the chat is gone, the bot was removed) and the core stops writing there until the
person writes again; `FAILED` is a passing failure worth trying again later.
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from moodtune.handlers.replies import Chat, Reply


class Delivery(Enum):
    DELIVERED = "delivered"
    UNREACHABLE = "unreachable"
    FAILED = "failed"


class Outbound(Protocol):
    """A connector's sending side. `reply.buttons` are already filled in by the core."""

    platform: str

    async def send(self, chat: Chat, reply: Reply) -> Delivery: ...
