"""What was offered to whom: recorded with the mood it answered, read back to avoid repeats."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.emotion import EmotionVector
from moodtune.storage.models import MODES, Recommendation
from moodtune.storage.types import vector_from_bytes, vector_to_bytes

Offer = tuple[int, int, float]  # (track id, rank, distance)


class RecommendationError(ValueError):
    """An offer that cannot be recorded: unknown mode, or a rank or distance that is no number."""


async def record_offers(
    session: AsyncSession,
    person_id: int,
    offers: Sequence[Offer],
    mood: EmotionVector | np.ndarray,
    mode: str,
    chat_id: str | int | None = None,
) -> list[Recommendation]:
    """Store the tracks just offered (their ids are what thumbs refer to), in offer order."""
    rows = [
        Recommendation(**{**row, "mood": vector_from_bytes(row["mood"])})
        for row in offer_rows(person_id, offers, mood, mode, chat_id)
    ]
    session.add_all(rows)
    await session.flush()
    return rows


def offer_rows(
    person_id: int,
    offers: Sequence[Offer],
    mood: EmotionVector | np.ndarray,
    mode: str,
    chat_id: str | int | None = None,
) -> list[dict[str, Any]]:
    """recommendations rows, checked: for `record_offers` and for the bot's batched writes."""
    if mode not in MODES:
        raise RecommendationError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    blob = vector_to_bytes(mood)  # checked and encoded once, shared by every offer
    chat = None if chat_id is None else str(chat_id)
    common = {"person_id": person_id, "mood": blob, "mode": mode, "chat_id": chat}
    return [
        {**common, "track_id": int(track_id), "rank": int(rank), "distance": _finite(distance)}
        for track_id, rank, distance in offers
    ]


def _finite(distance: float) -> float:
    value = float(distance)
    if not np.isfinite(value):
        raise RecommendationError(f"an offer's distance must be a finite number, got {distance!r}")
    return value


async def get(session: AsyncSession, recommendation_id: int) -> Recommendation | None:
    return await session.get(Recommendation, recommendation_id)


async def get_many(session: AsyncSession, ids: Sequence[int]) -> list[Recommendation]:
    """These offers, in the order of `ids` (missing ones left out)."""
    found = {
        r.id: r
        for r in await session.scalars(select(Recommendation).where(Recommendation.id.in_(ids)))
    }
    return [found[i] for i in ids if i in found]


async def recent_track_ids(session: AsyncSession, person_id: int, limit: int) -> list[int]:
    """The tracks of the person's last `limit` offers, oldest first (not offered again for
    a while)."""
    if limit <= 0:
        return []
    query = (
        select(Recommendation.track_id)
        .where(Recommendation.person_id == person_id)
        .order_by(Recommendation.id.desc())
        .limit(limit)
    )
    return list(reversed((await session.scalars(query)).all()))
