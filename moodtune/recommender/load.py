"""Load the catalog from the database into memory, once at start and after imports."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.recommender.index import Metric
from moodtune.recommender.tracks import CatalogIndex, TrackInfo
from moodtune.storage.models import Track

COLUMNS = (
    Track.id, Track.title, Track.artists, Track.tags, Track.genre,
    Track.language, Track.year, Track.link, Track.vector,
)  # fmt: skip


async def load_catalog(
    session_factory: async_sessionmaker[AsyncSession], metric: Metric = "euclidean"
) -> CatalogIndex:
    async with session_factory() as session:
        rows = (await session.execute(select(*COLUMNS).order_by(Track.id))).all()
    return CatalogIndex(
        (
            TrackInfo(
                id=row.id,
                title=row.title,
                artists=tuple(row.artists),
                vector=row.vector,
                tags=tuple(row.tags or ()),
                genre=row.genre,
                language=row.language,
                year=row.year,
                link=row.link,
            )
            for row in rows
        ),
        metric,
    )
