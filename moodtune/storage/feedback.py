"""Thumbs up / down: one changeable vote per person and recommendation, read back as taste."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.storage.models import Feedback, Recommendation, Track
from moodtune.storage.types import utc_now


class FeedbackError(ValueError):
    """A vote on a recommendation that does not exist or was made for someone else."""


async def vote(
    session: AsyncSession, person_id: int, recommendation_id: int, value: int
) -> Feedback:
    """Record (or change) a thumb; pressing the same thumb twice changes nothing."""
    if isinstance(value, bool) or value not in (1, -1):
        raise FeedbackError(f"a vote is +1 or -1, not {value!r}")
    recommendation = await session.get(Recommendation, recommendation_id)
    if recommendation is None:
        raise FeedbackError("that recommendation does not exist (any more)")
    if recommendation.person_id != person_id:
        raise FeedbackError("that recommendation was made for someone else")
    existing = await _find(session, person_id, recommendation_id)
    if existing is None:
        existing = Feedback(
            person_id=person_id,
            recommendation_id=recommendation_id,
            track_id=recommendation.track_id,
            value=value,
        )
        try:
            async with session.begin_nested():
                session.add(existing)
            return existing
        except IntegrityError:  # a double tap raced us (PostgreSQL); change that vote instead
            existing = await _find(session, person_id, recommendation_id)
            if existing is None:
                raise
    if existing.value != value:
        existing.value = value
        existing.updated_at = utc_now()
        await session.flush()
    return existing


async def _find(session: AsyncSession, person_id: int, recommendation_id: int) -> Feedback | None:
    query = select(Feedback).where(
        Feedback.person_id == person_id, Feedback.recommendation_id == recommendation_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def votes(session: AsyncSession, person_id: int) -> list[tuple[int, int]]:
    """(track id, +1/-1) for each recommendation the person rated, oldest first."""
    query = (
        select(Feedback.track_id, Feedback.value)
        .where(Feedback.person_id == person_id)
        .order_by(Feedback.id)
    )
    return [(track_id, value) for track_id, value in await session.execute(query)]


async def _net_by_track(session: AsyncSession, person_id: int) -> dict[int, int]:
    # A track offered several times can collect several thumbs: they add up.
    net: dict[int, int] = defaultdict(int)
    for track_id, value in await votes(session, person_id):
        net[track_id] += value
    return net


async def disliked_track_ids(session: AsyncSession, person_id: int) -> set[int]:
    """Tracks whose thumbs from this person add up to less than zero."""
    net = await _net_by_track(session, person_id)
    return {track for track, total in net.items() if total < 0}


async def liked_tracks(session: AsyncSession, person_id: int) -> list[Track]:
    """Tracks whose thumbs add up to more than zero, most recently liked first."""
    net = await _net_by_track(session, person_id)
    query = (
        select(Track, Feedback.updated_at)
        .join(Feedback, Feedback.track_id == Track.id)
        .where(Feedback.person_id == person_id, Feedback.value > 0)
        .order_by(Feedback.updated_at.desc(), Feedback.id.desc())
    )
    liked: dict[int, Track] = {}
    for track, _ in await session.execute(query):
        if net[track.id] > 0:
            liked.setdefault(track.id, track)
    return list(liked.values())
