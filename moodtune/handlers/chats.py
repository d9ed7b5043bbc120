"""The chats the bot talks in, remembered in the database and mirrored in memory, so a
message in a known chat costs no write."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.handlers.replies import Chat
from moodtune.storage import chats
from moodtune.storage.batch_writer import BatchWriter
from moodtune.storage.types import utc_now

Key = tuple[str, str]


class Chats:
    """Each chat stored once (and again when its title or kind changes, or after the
    platform refused to deliver there and someone wrote again), along with the next
    group commit of the bot's writes."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], writer: BatchWriter) -> None:
        self.sessions = sessions
        self.writer = writer
        self._known: dict[Key, Chat] = {}
        self._unreachable: set[Key] = set()

    def note(self, chat: Chat) -> None:
        """A message arrived in `chat`: remember it, reachable."""
        key = (chat.platform, chat.chat_id)
        if self._known.get(key) == chat and key not in self._unreachable:
            return
        row = chats.chat_row(chat.platform, chat.chat_id, chat.kind, chat.title)
        self.writer.write_later([row])
        self._known[key] = chat
        self._unreachable.discard(key)

    async def unreachable(self, chat: Chat) -> None:
        """The platform will not deliver to `chat` (blocked, removed, gone)."""
        key = (chat.platform, chat.chat_id)
        async with self.sessions() as session, session.begin():
            await chats.remember(session, chat.platform, chat.chat_id, chat.kind, chat.title)
            await chats.mark_unreachable(session, chat.platform, chat.chat_id, utc_now())
        self._known[key] = chat
        self._unreachable.add(key)

    async def is_reachable(self, chat: Chat) -> bool:
        async with self.sessions() as session:
            stored = await chats.get(session, chat.platform, chat.chat_id)
        return stored is None or stored.unreachable_since is None
