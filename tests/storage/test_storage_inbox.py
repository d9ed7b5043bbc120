"""The inbox on SQLite and PostgreSQL: re-deliveries recognised, done events pruned after
they are no longer needed, pending ones never."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from moodtune.storage import inbox
from moodtune.storage.models import InboxEvent
from moodtune.storage.types import utc_now


def event(n: int) -> inbox.Received:
    return inbox.Received(str(n), "chat", "person", {"update_id": n})


async def test_re_deliveries_are_recognised(session_factory: Any) -> None:
    async with session_factory() as session, session.begin():
        assert await inbox.receive(session, "telegram", [event(1), event(2)]) == {"1", "2"}
    async with session_factory() as session, session.begin():
        assert await inbox.receive(session, "telegram", [event(2), event(3)]) == {"3"}
        assert await inbox.receive(session, "discord", [event(2)]) == {"2"}  # another platform


async def test_done_events_are_pruned_once_old_and_pending_ones_never(
    session_factory: Any,
) -> None:
    async with session_factory() as session, session.begin():
        await inbox.receive(session, "telegram", [event(n) for n in (1, 2, 3)])
        connection = await session.connection()
        await inbox.mark_done(connection, [("telegram", "1", {}), ("telegram", "2", {})])
        old = utc_now() - timedelta(days=2)
        await session.execute(
            update(InboxEvent).where(InboxEvent.event_id == "1").values(done_at=old)
        )
    async with session_factory() as session, session.begin():
        assert await inbox.forget_done_before(session, utc_now() - timedelta(days=1)) == 1
    async with session_factory() as session:
        left = set((await session.scalars(select(InboxEvent.event_id))).all())
    assert left == {"2", "3"}  # done but recent, and still pending
