"""What a bot keeps in memory about check-ins, so a message costs no database read:
which chats were asked lately (a message there may answer), and which are paused as
unreachable (a message there resumes them).

Both are views of the database, read again at most every REFRESH_SECONDS when messages
come: what another process sent or paused shows within that time. Sends are read by the
time they were recorded, from a little before the last read on (OVERLAP: a transaction
that took its id earlier may commit later), not by id.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.storage import checkins
from moodtune.storage.checkins import Asked

REFRESH_SECONDS = 2.0
OVERLAP = timedelta(seconds=30)
ChatKey = tuple[str, str]  # (platform, chat id)


class CheckinView:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        answer_window: timedelta,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions = sessions
        self.answer_window = answer_window
        self._clock = clock
        self._monotonic = monotonic
        self._asked: dict[ChatKey, Asked] = {}  # the latest send to each chat
        self._read_until: datetime | None = None  # the clock at the last read
        self._unreachable: set[ChatKey] = set()
        self._read_at = float("-inf")
        self._lock = asyncio.Lock()

    async def asked(self, platform: str, chat_id: str) -> Asked | None:
        """The check-in sent to the chat within the answer window, if any."""
        await self._refresh()
        asked = self._asked.get((platform, chat_id))
        if asked is None or asked.created_at < self._clock() - self.answer_window:
            return None
        return asked

    async def unreachable(self, platform: str, chat_id: str) -> bool:
        await self._refresh()
        return (platform, chat_id) in self._unreachable

    def resumed(self, platform: str, chat_id: str) -> None:
        self._unreachable.discard((platform, chat_id))

    async def _refresh(self) -> None:
        if self._monotonic() - self._read_at < REFRESH_SECONDS:
            return
        async with self._lock:
            if self._monotonic() - self._read_at < REFRESH_SECONDS:
                return  # another message refreshed it while this one waited
            now = self._clock()
            window = now - self.answer_window
            since = window
            if self._read_until is not None:  # only what came since, and the overlap
                since = max(window, min(self._read_until, now) - OVERLAP)
            async with self.sessions() as session:
                sent = await checkins.asked_since(session, since)
                self._unreachable = await checkins.unreachable_chats(session)
            for asked in sent:
                known = self._asked.get((asked.platform, asked.chat_id))
                if known is None or known.created_at <= asked.created_at:
                    self._asked[(asked.platform, asked.chat_id)] = asked
            for key in [k for k, a in self._asked.items() if a.created_at < window]:
                del self._asked[key]
            self._read_until, self._read_at = now, self._monotonic()
