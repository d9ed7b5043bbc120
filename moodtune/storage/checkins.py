"""Daily check-ins: their settings, claiming the due ones, and a record of every send.

The database is the source of truth for when a check-in is due and whether a day's went
out, so any number of bot processes can share the work:

1. `claim_due` marks due rows with a claim token of its own, in one statement. PostgreSQL
   picks them `FOR UPDATE SKIP LOCKED`, so two processes claim disjoint rows; SQLite has a
   single writer, and the statement is atomic. A claim older than the timeout (its
   process died) is claimed again; so is one dated in the future (the clock went back).
2. `take` moves the check-in to its next due instant and records the day's send, in one
   transaction and only while the claim is still the caller's. The send is unique per
   check-in and local day: whoever else got there first, the day is recorded once, and
   only the caller that recorded it sends it.
3. `finish` stores how each send ended; an unreachable chat pauses its check-in.

A process killed between 1 and 2 loses nothing: its claim times out and another takes
over. One killed between 2 and the platform accepting the message loses that day's
check-in rather than risk sending it twice: at most once, by design.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Select,
    any_,
    cast,
    delete,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.storage.models import (
    CHAT_KINDS,
    PLATFORMS,
    SEND_STATUSES,
    CheckIn,
    CheckInSend,
)

MAX_CLAIMANT = 64
MAX_CHAT_ID = 128


class CheckInError(ValueError):
    """A check-in that cannot be stored: unknown chat kind or status, or a bad owner."""


@dataclass(frozen=True, slots=True)
class Due:
    """A claimed check-in: what sending it needs. `claim` is the token that proves the
    claim is still the caller's."""

    id: int
    platform: str
    chat_id: str
    chat_kind: str
    person_id: int | None
    local_time: time
    zone: str
    language: str
    next_due_at: datetime
    next_due_day: date
    skip_next: bool
    claim: str


DUE_COLUMNS = (
    CheckIn.id,
    CheckIn.platform,
    CheckIn.chat_id,
    CheckIn.chat_kind,
    CheckIn.person_id,
    CheckIn.local_time,
    CheckIn.zone,
    CheckIn.language,
    CheckIn.next_due_at,
    CheckIn.next_due_day,
    CheckIn.skip_next,
    CheckIn.claimed_by,
)  # fmt: skip  (Due's fields, in order)


@dataclass(frozen=True, slots=True)
class Retry:
    """A failed send claimed for another try, with what sending it needs."""

    send_id: int
    local_day: date
    due_at: datetime
    attempts: int
    checkin: CheckIn


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one send ended: a status of SEND_STATUSES, and when to try again (failed)."""

    send_id: int
    status: str
    retry_at: datetime | None = None


async def get(session: AsyncSession, platform: str, chat_id: str) -> CheckIn | None:
    query = select(CheckIn).where(CheckIn.platform == platform, CheckIn.chat_id == chat_id)
    return (await session.execute(query)).scalar_one_or_none()


async def of_person(session: AsyncSession, person_id: int) -> CheckIn | None:
    """The person's own (private) check-in, on or off."""
    query = select(CheckIn).where(CheckIn.person_id == person_id)
    return (await session.execute(query.order_by(CheckIn.updated_at.desc()).limit(1))).scalar()


async def save(
    session: AsyncSession,
    *,
    platform: str,
    chat_id: str,
    chat_kind: str,
    person_id: int | None,
    local_time: time,
    zone: str,
    language: str,
    next_due_at: datetime,
    next_due_day: date,
) -> CheckIn:
    """Create or replace the check-in of a chat: on, not skipping, reachable, unclaimed
    (a process holding a claim on the old setting finds its claim gone and sends nothing)."""
    if platform not in PLATFORMS:
        raise CheckInError(f"unknown platform {platform!r}")
    if not 0 < len(chat_id) <= MAX_CHAT_ID:
        raise CheckInError(f"a chat id has 1 to {MAX_CHAT_ID} characters, got {len(chat_id)}")
    if chat_kind not in CHAT_KINDS:
        raise CheckInError(f"unknown chat kind {chat_kind!r}")
    if (chat_kind == "private") != (person_id is not None):
        raise CheckInError("a private check-in has a person; a group's has none")
    row = await get(session, platform, chat_id)
    if row is None:
        row = CheckIn(platform=platform, chat_id=chat_id, chat_kind=chat_kind)
        session.add(row)
    row.person_id = person_id
    row.local_time, row.zone, row.language = local_time, zone, language
    row.next_due_at, row.next_due_day = next_due_at, next_due_day
    row.paused = row.skip_next = False
    row.unreachable_at = row.claimed_by = row.claimed_at = None
    await session.flush()
    return row


async def move(
    session: AsyncSession, checkin_id: int, next_due_at: datetime, next_due_day: date
) -> None:
    """A new next due instant (resumed, skipped), releasing any claim on the old one."""
    await session.execute(
        update(CheckIn)
        .where(CheckIn.id == checkin_id)
        .values(next_due_at=next_due_at, next_due_day=next_due_day, claimed_by=None,
                claimed_at=None)
    )  # fmt: skip


async def set_paused(session: AsyncSession, checkin_id: int, paused: bool) -> None:
    await session.execute(update(CheckIn).where(CheckIn.id == checkin_id).values(paused=paused))


async def set_skip_next(session: AsyncSession, checkin_id: int, skip: bool) -> None:
    await session.execute(update(CheckIn).where(CheckIn.id == checkin_id).values(skip_next=skip))


async def sent_days(session: AsyncSession, checkin_id: int, since: date) -> set[date]:
    """The local days from `since` on that already have a send (of any outcome)."""
    query = select(CheckInSend.local_day).where(
        CheckInSend.checkin_id == checkin_id, CheckInSend.local_day >= since
    )
    return set((await session.scalars(query)).all())


def _can_be_due() -> list[ColumnElement[bool]]:
    # The terms of the partial index ix_checkins_due, spelled as it spells them: SQLite
    # uses a partial index only for a query that repeats its terms (SQLAlchemy would
    # write `paused = 0` there).
    return [text("NOT checkins.paused"), CheckIn.unreachable_at.is_(None)]


async def _among(
    session: AsyncSession, column: ColumnElement[int], ids: Select[tuple[int]]
) -> ColumnElement[bool]:
    """`column` is one of the ids `ids` selects. On PostgreSQL as `= ANY(array)`: the ids
    are picked (and locked) first, then their rows found by primary key; with `IN
    (subquery)` the planner hash-joined the whole table, ~25 ms at 100,000 check-ins."""
    connection = await session.connection()
    if connection.dialect.name == "sqlite":
        return column.in_(ids.scalar_subquery())
    picked = ids.subquery()
    array = cast(select(func.array_agg(picked.c.id)).scalar_subquery(), ARRAY(Integer))
    return column == any_(array)  # the cast: ANY over one array, not over a subquery's rows


async def claim_due(
    session: AsyncSession,
    now: datetime,
    claim: str,
    platforms: Sequence[str],
    limit: int,
    timeout: timedelta,
) -> list[Due]:
    """Claim up to `limit` check-ins of `platforms` due at `now`, earliest first, that no
    live claim holds. Commit right after: the claim is what other processes see."""
    if not 0 < len(claim) <= MAX_CLAIMANT:
        raise CheckInError(f"a claim token has 1 to {MAX_CLAIMANT} characters")
    free = or_(
        CheckIn.claimed_at.is_(None),
        CheckIn.claimed_at < now - timeout,
        CheckIn.claimed_at > now + timeout,  # claimed "in the future": the clock went back
    )
    due = (
        select(CheckIn.id)
        .where(*_can_be_due(), CheckIn.next_due_at <= now, CheckIn.platform.in_(platforms), free)
        .order_by(CheckIn.next_due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL only; SQLite has one writer anyway
    )
    claimed = await session.execute(
        update(CheckIn)
        .where(await _among(session, CheckIn.id, due))
        .values(claimed_by=claim, claimed_at=now)
        .returning(*DUE_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    return sorted((Due(*row) for row in claimed), key=lambda due: due.next_due_at)


async def take(
    session: AsyncSession,
    due: Due,
    status: str,
    next_due_at: datetime,
    next_due_day: date,
    now: datetime,
) -> int | None:
    """Move a claimed check-in on and record its day's send with `status` ("sending",
    "skipped" or "missed"). The send's id, or None when the claim is no longer the
    caller's (taken over, the check-in changed or deleted) or the day was recorded already:
    then the caller sends nothing. Commit before sending."""
    if status not in SEND_STATUSES:
        raise CheckInError(f"unknown send status {status!r}")
    consumed = {"skip_next": False} if status != "sending" else {}  # the skip is used up
    moved = await session.execute(
        update(CheckIn)
        .where(CheckIn.id == due.id, CheckIn.claimed_by == due.claim)
        .values(next_due_at=next_due_at, next_due_day=next_due_day, claimed_by=None,
                claimed_at=None, **consumed)
        .returning(CheckIn.id)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    if moved.scalar() is None:
        return None
    connection = await session.connection()
    insert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
    finished = None if status == "sending" else now
    recorded = await session.execute(
        insert(CheckInSend)
        .values(checkin_id=due.id, local_day=due.next_due_day, due_at=due.next_due_at,
                status=status, attempts=int(status == "sending"), created_at=now,
                finished_at=finished)
        .on_conflict_do_nothing(index_elements=["checkin_id", "local_day"])
        .returning(CheckInSend.id)
    )  # fmt: skip
    return recorded.scalar()


async def finish(session: AsyncSession, outcomes: Iterable[Outcome], now: datetime) -> None:
    """Store how sends ended; an unreachable one pauses its check-in until they write."""
    rows = []
    for outcome in outcomes:
        if outcome.status not in SEND_STATUSES:
            raise CheckInError(f"unknown send status {outcome.status!r}")
        rows.append({"id": outcome.send_id, "status": outcome.status,
                     "retry_at": outcome.retry_at, "finished_at": now})  # fmt: skip
    if not rows:
        return
    await session.execute(update(CheckInSend), rows)  # one UPDATE by primary key, many rows
    gone = [row["id"] for row in rows if row["status"] == "unreachable"]
    if gone:
        sent = select(CheckInSend.checkin_id).where(CheckInSend.id.in_(gone))
        await session.execute(
            update(CheckIn)
            .where(CheckIn.id.in_(sent.scalar_subquery()), CheckIn.unreachable_at.is_(None))
            .values(unreachable_at=now)
            .execution_options(synchronize_session=False)
        )


async def claim_retries(
    session: AsyncSession, now: datetime, platforms: Sequence[str], limit: int
) -> list[Retry]:
    """Failed sends whose time to retry has come, of check-ins still on and reachable:
    marked "sending" again (the claim, under the row lock) with one more attempt."""
    ready = (
        select(CheckInSend.id)
        .join(CheckIn, CheckIn.id == CheckInSend.checkin_id)
        .where(CheckInSend.retry_at <= now, CheckInSend.status == "failed",
               CheckIn.platform.in_(platforms), *_can_be_due())
        .order_by(CheckInSend.retry_at)
        .limit(limit)
        .with_for_update(of=CheckInSend, skip_locked=True)
    )  # fmt: skip
    claimed = await session.execute(
        update(CheckInSend)
        .where(await _among(session, CheckInSend.id, ready))
        .values(status="sending", retry_at=None, attempts=CheckInSend.attempts + 1)
        .returning(CheckInSend.id, CheckInSend.checkin_id, CheckInSend.local_day,
                   CheckInSend.due_at, CheckInSend.attempts)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    sends = claimed.all()
    if not sends:
        return []
    ids = {send.checkin_id for send in sends}
    checkins = {c.id: c for c in await session.scalars(select(CheckIn).where(CheckIn.id.in_(ids)))}
    return [
        Retry(send.id, send.local_day, send.due_at, send.attempts, checkins[send.checkin_id])
        for send in sends
    ]


async def send_of(session: AsyncSession, send_id: int) -> tuple[CheckInSend, CheckIn] | None:
    """A send and its check-in (for an answer to it), None when either is gone."""
    query = (
        select(CheckInSend, CheckIn)
        .join(CheckIn, CheckIn.id == CheckInSend.checkin_id)
        .where(CheckInSend.id == send_id)
    )
    row = (await session.execute(query)).first()
    return None if row is None else (row[0], row[1])


@dataclass(frozen=True, slots=True)
class Asked:
    """A check-in that went out (or may have): to which chat, for which local day."""

    send_id: int
    created_at: datetime
    local_day: date
    platform: str
    chat_id: str
    chat_kind: str
    zone: str


async def asked_since(session: AsyncSession, since: datetime) -> list[Asked]:
    """Sends recorded since `since` that may have arrived (delivered, or going out),
    oldest first."""
    query = (
        select(CheckInSend.id, CheckInSend.created_at, CheckInSend.local_day, CheckIn.platform,
               CheckIn.chat_id, CheckIn.chat_kind, CheckIn.zone)
        .join(CheckIn, CheckIn.id == CheckInSend.checkin_id)
        .where(CheckInSend.created_at >= since,
               CheckInSend.status.in_(("delivered", "sending")))
        .order_by(CheckInSend.created_at)
    )  # fmt: skip
    return [Asked(*row) for row in await session.execute(query)]


async def unreachable_chats(session: AsyncSession) -> set[tuple[str, str]]:
    """(platform, chat id) of every check-in paused because delivery was refused."""
    query = select(CheckIn.platform, CheckIn.chat_id).where(CheckIn.unreachable_at.is_not(None))
    return {(platform, chat_id) for platform, chat_id in await session.execute(query)}


async def reachable_again(
    session: AsyncSession, checkin_id: int, next_due_at: datetime, next_due_day: date
) -> bool:
    """Resume a check-in paused as unreachable, due next at the given instant; False when it
    was not paused that way (another process resumed it first)."""
    resumed = await session.execute(
        update(CheckIn)
        .where(CheckIn.id == checkin_id, CheckIn.unreachable_at.is_not(None))
        .values(unreachable_at=None, next_due_at=next_due_at, next_due_day=next_due_day,
                claimed_by=None, claimed_at=None)
        .returning(CheckIn.id)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    return resumed.scalar() is not None


async def delete_of_person(session: AsyncSession, person_id: int) -> int:
    """Every check-in of a person and its sends (for /forget); how many rows."""
    theirs = select(CheckIn.id).where(CheckIn.person_id == person_id).scalar_subquery()
    sends = await session.execute(delete(CheckInSend).where(CheckInSend.checkin_id.in_(theirs)))
    checkins = await session.execute(delete(CheckIn).where(CheckIn.person_id == person_id))
    return (sends.rowcount or 0) + (checkins.rowcount or 0)
