"""Everyone's thumbs on some tracks, each with the mood its recommendation answered.

The recommender's global prior reads these for the candidates of one reply only, so a
reply costs a query over the thumbs of some fifty tracks, never over all thumbs.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.storage.models import Feedback, Recommendation
from moodtune.storage.tracks import CHUNK


async def in_moods(
    session: AsyncSession, track_ids: Collection[int]
) -> list[tuple[int, np.ndarray, int]]:
    """(track id, mood answered, +1/−1) for every thumb on these tracks, by anyone."""
    wanted = sorted({int(t) for t in track_ids})
    found: list[tuple[int, np.ndarray, int]] = []
    for start in range(0, len(wanted), CHUNK):
        query = (
            select(Feedback.track_id, Recommendation.mood, Feedback.value)
            .join(Recommendation, Recommendation.id == Feedback.recommendation_id)
            .where(Feedback.track_id.in_(wanted[start : start + CHUNK]))
            .order_by(Feedback.id)
        )
        found.extend((t, mood, value) for t, mood, value in await session.execute(query))
    return found
