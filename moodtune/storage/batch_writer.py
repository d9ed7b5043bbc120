"""Group commit for the bot's hot path: the rows of many messages in one transaction.

Every answered message stores a mood and its offers, and the offers' ids must be known
before the reply goes out (its 👍 / 👎 buttons carry them). One transaction per message
costs a commit, several round trips and the ORM's bookkeeping each time; under a burst
that, not the analysis, was what limited the bot. Here a message hands its rows over and
waits; whatever arrives while a transaction runs goes together into the next one, as two
bulk INSERTs. A message is answered only after its rows are committed, so a reply never
refers to something that was not stored, and nothing is kept back in memory to be lost.

If a batch fails, its writes are retried one by one, so a bad or orphaned write (a person
forgotten a moment ago) fails alone and the others are stored. While the database cannot
be reached, a batch waits with backoff (storage/outage.py) instead of failing.

The incoming event being answered (storage/inbox.ANSWERING, set by the conversation core)
is marked done in the same transaction as its answer's rows: an answer is either stored
with its event done, or not at all, and then handled again after a restart.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.storage import chats, inbox
from moodtune.storage.models import MoodReading, Recommendation
from moodtune.storage.outage import Outage

log = logging.getLogger(__name__)
MOODS = MoodReading.__table__
OFFERS = Recommendation.__table__
MAX_BATCH = 256  # writes per transaction: bounds its time and its statements' size


class WriterStoppedError(RuntimeError):
    """The writer was stopped (the bot shutting down) before a write was stored."""


@dataclass
class Write:
    """One message's rows (see moods.mood_row, recommendations.offer_rows)."""

    moods: Sequence[dict[str, Any]] = ()
    offers: Sequence[dict[str, Any]] = ()
    answered: Sequence[inbox.Done] = ()  # incoming events this write answers
    chats: Sequence[dict[str, Any]] = ()  # chats to remember (see chats.chat_row)
    sent: Sequence[tuple[str, str]] = ()  # (platform, event id) of answers the platform took
    done: asyncio.Future[list[int]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class BatchWriter:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], outage: Outage | None = None
    ) -> None:
        self.sessions = sessions
        self.outage = outage or Outage()
        self._queue: list[Write] = []
        self._batch: list[Write] = []  # being stored
        self._draining: asyncio.Task[None] | None = None

    async def write(
        self,
        moods: Sequence[dict[str, Any]] = (),
        offers: Sequence[dict[str, Any]] = (),
        answered: Sequence[inbox.Done] = (),
    ) -> list[int]:
        """Store the rows; the offers' new ids, in order, once committed. The event being
        answered, if any (inbox.ANSWERING), is marked done with them."""
        current = inbox.ANSWERING.get()
        if current is not None and not current.marked and (moods or offers):
            answered = [*answered, current.done({})]  # the offers' ids are added on commit
        if not moods and not offers and not answered:
            return []
        write = Write(moods, offers, answered)
        self._enqueue(write)
        try:
            ids = await asyncio.shield(write.done)
        except asyncio.CancelledError:  # the write is stored all the same, or its error logged
            write.done.add_done_callback(_log_failure)
            raise
        if current is not None and write.answered:
            current.marked = True
        return ids

    def write_later(
        self, chats: Sequence[dict[str, Any]] = (), sent: Sequence[tuple[str, str]] = ()
    ) -> None:
        """Rows nobody waits for (a chat seen for the first time, an answer sent), stored
        with the next transaction: they cost no transaction of their own."""
        write = Write(chats=chats, sent=sent)
        write.done.add_done_callback(_log_failure)
        self._enqueue(write)

    def _enqueue(self, write: Write) -> None:
        self._queue.append(write)
        if self._draining is None or self._draining.done():
            self._draining = asyncio.create_task(self._drain())
            self._draining.add_done_callback(self._stopped)

    async def close(self) -> None:
        """Wait for what was handed over to be stored."""
        if self._draining is not None:
            await self._draining

    def _stopped(self, draining: asyncio.Task[None]) -> None:
        """Cancelled (the bot shutting down), even before it began: nobody waits forever."""
        if draining.cancelled():
            stopped = WriterStoppedError("the bot stopped before this message was stored")
            for write in [*self._batch, *self._queue]:
                _fail(write, stopped)

    async def _drain(self) -> None:
        while self._queue:
            self._batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            batch = self._batch
            try:
                _settle(batch, await self._commit(batch))
            except Exception as error:
                if len(batch) == 1:
                    _fail(batch[0], error)
                    continue
                log.warning("a batch of %d writes failed; storing them one by one", len(batch))
                for write in batch:
                    try:
                        _settle([write], await self._commit([write]))
                    except Exception as error:
                        _fail(write, error)

    async def _commit(self, batch: Sequence[Write]) -> list[int]:
        return await self.outage.retrying(lambda: self._transaction(batch))

    async def _transaction(self, batch: Sequence[Write]) -> list[int]:
        moods = [row for write in batch for row in write.moods]
        offers = [row for write in batch for row in write.offers]
        chat_rows = [row for write in batch for row in write.chats]
        sent = [key for write in batch for key in write.sent]
        # Core statements on the tables: the ORM's bulk machinery costs more than the SQL.
        async with self.sessions() as session, session.begin():
            connection = await session.connection()
            await chats.upsert(connection, chat_rows)
            if moods:
                await connection.execute(insert(MOODS), moods)
            ids: list[int] = []
            if offers:
                statement = insert(OFFERS).returning(OFFERS.c.id, sort_by_parameter_order=True)
                ids = list((await connection.execute(statement, offers)).scalars())
            await inbox.mark_done(connection, _answered(batch, ids))
            await inbox.mark_sent(connection, sent)
            return ids


def _answered(batch: Sequence[Write], ids: list[int]) -> list[inbox.Done]:
    """Each answered event's record, with the ids its write's offers were given."""
    done, start = [], 0
    for write in batch:
        end = start + len(write.offers)
        for platform, event_id, record in write.answered:
            done.append((platform, event_id, {**record, "offers": ids[start:end]}))
        start = end
    return done


def _settle(batch: Sequence[Write], ids: list[int]) -> None:
    """Hand each write its offers' ids (the batch's ids are in the writes' order)."""
    start = 0
    for write in batch:
        end = start + len(write.offers)
        if not write.done.done():
            write.done.set_result(ids[start:end])
        start = end


def _fail(write: Write, error: Exception) -> None:
    if not write.done.done():
        write.done.set_exception(error)


def _log_failure(done: asyncio.Future[list[int]]) -> None:
    """For a write whose caller gave up: its failure is said somewhere (and retrieved)."""
    if not done.cancelled() and (error := done.exception()) is not None:
        log.warning("a message given up on could not be stored: %s", error)
