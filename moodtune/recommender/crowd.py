"""Everyone's thumbs, in memory: the global prior the re-ranker asks about each reply's
candidates. A track's thumbs are read from the database the first time it is a candidate
and re-read after each vote on it here, so a reply costs no query once the bot is warm.
What another process sharing the database stored shows within `max_age` seconds: after
that, every track is read afresh the next time it is a candidate."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection, Sequence

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.recommender.prior import GlobalPrior
from moodtune.storage import thumbs
from moodtune.storage.outage import Outage


class Crowd:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        max_age: float = 300.0,
        outage: Outage | None = None,
    ) -> None:
        self.sessions = sessions
        self.outage = outage or Outage()
        self.prior = GlobalPrior()
        self.max_age = max_age
        self._known: set[int] = set()
        self._known_since = time.monotonic()
        # Loads and re-reads one at a time, so a vote re-read while its track loads is
        # never counted twice; replies whose tracks are all known never wait for it.
        self._lock = asyncio.Lock()

    async def prior_for(self, track_ids: Sequence[int]) -> GlobalPrior:
        """The prior, with every one of these tracks' thumbs in it."""
        if time.monotonic() - self._known_since > self.max_age:
            self._known.clear()  # read afresh: another process may have stored thumbs
            self._known_since = time.monotonic()
        if not self._known.issuperset(track_ids):
            async with self._lock:
                missing = [t for t in track_ids if t not in self._known]
                if missing:
                    await self._read(missing)
        return self.prior

    async def reread(self, track_ids: Collection[int]) -> None:
        """After votes on these tracks (or a /forget): their thumbs as now stored."""
        async with self._lock:
            await self._read(track_ids)

    async def _read(self, track_ids: Collection[int]) -> None:
        """These tracks' thumbs as stored, in place of what the prior had (under the lock)."""

        async def read() -> list[tuple[int, np.ndarray, int]]:
            async with self.sessions() as session:
                return list(await thumbs.in_moods(session, track_ids))

        rows = await self.outage.retrying(read)
        found: dict[int, list[tuple[np.ndarray, int]]] = {t: [] for t in track_ids}
        for track_id, mood, value in rows:
            found[track_id].append((mood, value))
        for track_id, track_thumbs in found.items():
            self.prior.replace(track_id, track_thumbs)
        self._known.update(found)
