"""What a group playlist offered to a chat's room, and the members' thumbs on it.

A room offer belongs to the chat, not to a person: any member may vote on it, and no
member's /forget takes it from the others. A member's thumb is stored as their own: on
their first press the track becomes an offer to them (a recommendation in that chat,
linked by a room_votes row), and the thumb is an ordinary Feedback row on it. Their taste,
the crowd's prior, /export and /forget then treat it as any thumb, and it counts for the
voter only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.storage import feedback, recommendations
from moodtune.storage.models import STRATEGIES, Feedback, RoomOffer, RoomVote, Track
from moodtune.storage.types import utc_now, vector_from_bytes, vector_to_bytes


class RoomOfferError(feedback.FeedbackError):
    """A vote on a room offer that does not exist (any more) or was made in another chat."""


@dataclass(frozen=True, slots=True)
class Offer:
    track_id: int
    for_person_id: int | None  # the member the track is mainly for


async def record(
    session: AsyncSession,
    platform: str,
    chat_id: str,
    offers: Sequence[Offer],
    strategy: str,
) -> list[RoomOffer]:
    """Store a playlist's tracks, in play order (ranks 1..n); their ids are what the
    room's 👍 / 👎 buttons carry."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; expected one of {', '.join(STRATEGIES)}")
    now = utc_now()
    rows = [
        RoomOffer(
            platform=platform, chat_id=str(chat_id), track_id=int(offer.track_id),
            for_person_id=offer.for_person_id, rank=rank, strategy=strategy, created_at=now,
        )
        for rank, offer in enumerate(offers, 1)
    ]  # fmt: skip
    session.add_all(rows)
    await session.flush()
    return rows


async def hold_chat(session: AsyncSession, platform: str, chat_id: str) -> None:
    """Make the rest of this transaction the only one writing a playlist for the chat, in
    any process: two asked at once would otherwise each read the group's window before the
    other stored its tracks, and repeat them. PostgreSQL: a transaction-scoped advisory
    lock on the chat; SQLite: nothing to do, a write transaction there holds the database's
    single write lock from its first statement (BEGIN IMMEDIATE, see db.py)."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        digest = hashlib.blake2b(f"{platform}:{chat_id}".encode(), digest_size=8).digest()
        key = int.from_bytes(digest, "big", signed=True)
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


async def recent_track_ids(
    session: AsyncSession, platform: str, chat_id: str, limit: int
) -> list[int]:
    """The tracks of the chat's last `limit` room offers (the group's repeat window)."""
    if limit <= 0:
        return []
    query = (
        select(RoomOffer.track_id)
        .where(RoomOffer.platform == platform, RoomOffer.chat_id == str(chat_id))
        .order_by(RoomOffer.id.desc())
        .limit(limit)
    )
    return list(reversed((await session.scalars(query)).all()))


async def withdraw(
    session: AsyncSession, platform: str, chat_id: str, offer_ids: Collection[int]
) -> int:
    """Delete room offers that never reached the chat (the bot was removed before the
    playlist went out): they leave the repeat window and nobody can vote on them."""
    statement = delete(RoomOffer).where(
        RoomOffer.platform == platform,
        RoomOffer.chat_id == str(chat_id),
        RoomOffer.id.in_([int(i) for i in offer_ids]),
    )
    return (await session.execute(statement)).rowcount or 0


async def forget_member(
    session: AsyncSession, person_id: int, platform: str | None = None, chat_id: str | None = None
) -> None:
    """Name nobody where the person was named (in one chat, or everywhere)."""
    statement = update(RoomOffer).where(RoomOffer.for_person_id == person_id)
    if platform is not None and chat_id is not None:
        statement = statement.where(
            RoomOffer.platform == platform, RoomOffer.chat_id == str(chat_id)
        )
    await session.execute(statement.values(for_person_id=None))


async def vote(
    session: AsyncSession,
    person_id: int,
    room_offer_id: int,
    value: int,
    platform: str,
    chat_id: str,
    mood: np.ndarray | None = None,
) -> Feedback:
    """A member's 👍 (+1) / 👎 (−1) on a room offer, pressed in `chat_id`; changeable, and
    a second press of the same thumb changes nothing.

    `mood` is the voter's mood in that chat when the bot knows it: the offer to them
    records it, so the crowd's prior learns what this thumb was given in. Without one,
    the track's own mood is recorded.
    """
    offer = await session.get(RoomOffer, room_offer_id)
    if offer is None:
        raise RoomOfferError("that track is no longer offered to this chat")
    if (offer.platform, offer.chat_id) != (platform, str(chat_id)):
        raise RoomOfferError("that track was offered in another chat")
    recommendation_id = await _own_offer(session, person_id, offer, mood)
    return await feedback.vote(session, person_id, recommendation_id, value)


async def _own_offer(
    session: AsyncSession, person_id: int, offer: RoomOffer, mood: np.ndarray | None
) -> int:
    """The id of the voter's own offer of the room offer's track, made on first use. Two
    presses racing to make it (PostgreSQL runs them at once) end with one."""
    found = await _linked(session, person_id, offer.id)
    if found is not None:
        return found
    track_vector = await session.scalar(select(Track.vector).where(Track.id == offer.track_id))
    assert track_vector is not None  # the offer's foreign key keeps its track
    answered = vector_from_bytes(vector_to_bytes(track_vector if mood is None else mood))
    distance = float(np.linalg.norm(answered - track_vector))
    try:
        async with session.begin_nested():
            (own,) = await recommendations.record_offers(
                session, person_id, [(offer.track_id, offer.rank, distance)], answered, "match",
                offer.chat_id,
            )  # fmt: skip
            link = RoomVote(room_offer_id=offer.id, person_id=person_id, recommendation_id=own.id)
            session.add(link)
        return own.id
    except IntegrityError:  # the other press made it first
        found = await _linked(session, person_id, offer.id)
        if found is None:
            raise
        return found


async def _linked(session: AsyncSession, person_id: int, room_offer_id: int) -> int | None:
    query = select(RoomVote.recommendation_id).where(
        RoomVote.person_id == person_id, RoomVote.room_offer_id == room_offer_id
    )
    return await session.scalar(query)
