"""Recommending for one person: their mood, taste and history in, stored offers out."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.config import Settings
from moodtune.emotion_engines.reading import Reading
from moodtune.recommender.ranking import Pick, recommend
from moodtune.recommender.taste import Taste
from moodtune.recommender.tracks import CatalogIndex
from moodtune.storage import feedback, moods, recommendations
from moodtune.storage.models import Person


async def recommend_for_person(
    session: AsyncSession,
    person: Person,
    reading: Reading,
    catalog: CatalogIndex,
    settings: Settings,
    language: str = "en",
    chat_id: str | None = None,
) -> list[tuple[int, Pick]]:
    """Store the reading, pick tracks with the person's taste, record them as offers.

    Returns (recommendation id, pick) pairs: the ids are what 👍 / 👎 refer to.
    """
    await moods.record(
        session, person.id, reading.vector, reading.confidence, reading.modality,
        chat_id=chat_id,
    )  # fmt: skip
    votes = await feedback.votes(session, person.id)
    taste = Taste.from_votes((catalog.tracks[t], v) for t, v in votes if t in catalog.tracks)
    recent = await recommendations.recent_track_ids(session, person.id, settings.repeat_window)
    picks = recommend(
        catalog, reading.vector, settings.recommend_k, taste, recent,
        settings.max_per_artist, language,
    )  # fmt: skip
    offers = [(p.track.id, rank, p.distance) for rank, p in enumerate(picks, 1)]
    rows = await recommendations.record_offers(
        session, person.id, offers, reading.vector, person.mode, chat_id
    )
    return [(row.id, pick) for row, pick in zip(rows, picks, strict=True)]
