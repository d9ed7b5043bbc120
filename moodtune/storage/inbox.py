"""The inbox: incoming events stored before they are acknowledged, marked done with their
answer, and read back after a restart."""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from moodtune.storage.models import InboxEvent
from moodtune.storage.types import utc_now

INBOX = InboxEvent.__table__
MAX_ID = 128


Done = tuple[str, str, dict[str, Any]]  # (platform, event id, a record of the answer)


@dataclass(slots=True)
class Answering:
    """The incoming event being answered in this task (see ANSWERING), and whether it has
    been marked done yet."""

    platform: str
    event_id: str
    marked: bool = False

    def done(self, record: dict[str, Any]) -> Done:
        return (self.platform, self.event_id, record)


# Set by the conversation core while it answers one event, so that whatever stores the
# answer's rows (the BatchWriter) marks the event done in the same transaction, however
# deep in the call the rows are written.
ANSWERING: ContextVar[Answering | None] = ContextVar("answering", default=None)


@dataclass(frozen=True, slots=True)
class Received:
    """One event as a connector hands it over: its id, its chat, the platform's JSON."""

    event_id: str
    chat_id: str
    sender_id: str
    payload: dict[str, Any]


async def receive(session: AsyncSession, platform: str, events: Sequence[Received]) -> set[str]:
    """Store the events; the ids of those not stored before (the others are re-deliveries)."""
    if not events:
        return set()
    rows = [
        {"platform": platform, "event_id": e.event_id[:MAX_ID], "chat_id": e.chat_id[:MAX_ID],
         "sender_id": e.sender_id[:MAX_ID], "payload": e.payload, "received_at": utc_now()}
        for e in events
    ]  # fmt: skip
    connection = await session.connection()
    insert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
    statement = (
        insert(INBOX)
        .on_conflict_do_nothing(index_elements=["platform", "event_id"])
        .returning(INBOX.c.event_id)
    )
    return set((await connection.execute(statement, rows)).scalars())


async def mark_done(connection: AsyncConnection, done: Sequence[Done]) -> None:
    """(platform, event id, reply record) of events answered, in the caller's transaction."""
    if not done:
        return
    statement = (
        update(INBOX)
        .where(INBOX.c.platform == bindparam("p"), INBOX.c.event_id == bindparam("e"))
        .values(done_at=bindparam("at"), reply=bindparam("r"))
    )
    now = utc_now()
    await connection.execute(
        statement, [{"p": p, "e": e, "at": now, "r": reply} for p, e, reply in done]
    )


async def mark_sent(connection: AsyncConnection, sent: Sequence[tuple[str, str]]) -> None:
    """(platform, event id) of events whose answer the platform took."""
    if not sent:
        return
    statement = (
        update(INBOX)
        .where(INBOX.c.platform == bindparam("p"), INBOX.c.event_id == bindparam("e"))
        .values(sent_at=bindparam("at"))
    )
    now = utc_now()
    await connection.execute(statement, [{"p": p, "e": e, "at": now} for p, e in sent])


async def pending(session: AsyncSession, platform: str) -> list[InboxEvent]:
    """Events received but not answered, or answered but not known to be sent, in the order
    they arrived."""
    query = (
        select(InboxEvent)
        .where(InboxEvent.platform == platform, InboxEvent.sent_at.is_(None))
        .order_by(InboxEvent.id)
    )
    return list((await session.scalars(query)).all())


async def is_done(session: AsyncSession, platform: str, event_id: str) -> bool:
    query = select(InboxEvent.done_at).where(
        InboxEvent.platform == platform, InboxEvent.event_id == event_id
    )
    return (await session.scalar(query)) is not None


async def forget_done_before(session: AsyncSession, before: datetime) -> int:
    """Done events older than `before` (kept a while to drop late re-deliveries)."""
    result = await session.execute(
        delete(InboxEvent).where(InboxEvent.done_at.is_not(None), InboxEvent.done_at < before)
    )
    return result.rowcount or 0
