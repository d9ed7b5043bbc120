"""The wiring: settings → engines, database, catalog. Adapters and the CLI start here."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from moodtune.config import Settings
from moodtune.emotion_engines.analysis import Analysis, Engines, Inputs
from moodtune.emotion_engines.reading import Reading
from moodtune.errors import ConfigurationError
from moodtune.recommender.load import load_catalog
from moodtune.recommender.people import People
from moodtune.recommender.ranking import Pick
from moodtune.recommender.ranking import recommend as rank
from moodtune.recommender.tracks import CatalogIndex
from moodtune.storage.outage import Outage

POOL_TIMEOUT_SECONDS = 120.0  # a burst queues behind SQLite's single writer


class App:
    """A running moodtune: engines, an up-to-date database and the catalog in memory."""

    def __init__(
        self,
        settings: Settings,
        db: AsyncEngine,
        sessions: async_sessionmaker[AsyncSession],
        catalog: CatalogIndex,
        engines: Engines | None = None,
    ) -> None:
        self.settings = settings
        self.engines = engines or Engines(settings)
        self.db = db
        self.sessions = sessions
        self.catalog = catalog
        self.outage = Outage()  # the database's reachability, shared by everything that writes
        self.people = People(sessions, settings, self.outage)

    @classmethod
    async def open(cls, settings: Settings, progress: bool = False) -> App:
        """Migrate the database, load the demo catalog into an empty one, index the tracks."""
        from moodtune.catalog.loader import ensure_demo_catalog
        from moodtune.emotion_engines.memory import keep_big_blocks_apart
        from moodtune.storage.db import make_engine, make_session_factory

        keep_big_blocks_apart()  # before the engines allocate: big blocks are given back
        engines = Engines(settings)
        # Loading jieba and the lexicons takes a second or two: overlap it with migrating.
        warming = asyncio.create_task(asyncio.to_thread(engines.text.warm_up))
        await upgrade_database(settings)
        url = settings.resolved_database_url
        db = make_engine(url, **pool_options(url))
        sessions = make_session_factory(db)
        app = cls(settings, db, sessions, CatalogIndex(()), engines)
        await warming
        if settings.catalog_autoload:
            await ensure_demo_catalog(sessions, app.engines.text, progress=progress)
        await app.reload_catalog()
        return app

    async def reload_catalog(self) -> None:
        self.catalog = await load_catalog(self.sessions, self.settings.distance)

    async def close(self) -> None:
        await self.people.close()  # what was handed to the writer is stored first
        await self.db.dispose()


def freeze_startup_objects() -> int:
    """For a process that serves from here on: what start-up built (lexicons, catalog,
    models, caches) lives as long as the process, so the garbage collector stops walking
    it. Each full collection walked ~150,000 objects, ~100 ms in the middle of a burst.
    Returns how many objects are now left alone."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def pool_options(url: str) -> dict[str, Any]:
    """One connection for a SQLite file: SQLite has one writer at a time anyway, and a
    transaction waiting for the pool (in order, on the event loop) beats one sleeping in
    SQLite's busy handler (in a thread, polling, and failing "database is locked" after
    5 s under a burst). PostgreSQL keeps SQLAlchemy's pool and writes concurrently."""
    if not url.startswith("sqlite") or ":memory:" in url or "mode=memory" in url:
        return {}
    return {"pool_size": 1, "max_overflow": 0, "pool_timeout": POOL_TIMEOUT_SECONDS}


async def analyze(settings: Settings, inputs: Inputs) -> Analysis:
    return await Engines(settings).analyze(inputs)


async def recommend(settings: Settings, inputs: Inputs, k: int) -> tuple[Analysis, list[Pick]]:
    """A one-off recommendation: no person, so no taste and no repeat window; otherwise as
    the bot answers a newcomer (the default mode, the message's language leading)."""
    from moodtune.emotion_engines.text.scripts import message_language
    from moodtune.recommender.modes import DEFAULT_MODE
    from moodtune.recommender.ranking import Listener

    app = await App.open(settings)
    try:
        analysis = await app.engines.analyze(inputs)
        written = message_language(inputs.text or "")
        listener = Listener.of(written) if settings.picks_follow_language else Listener()
        picks = rank(
            app.catalog, analysis.fused.vector, k, max_per_artist=settings.max_per_artist,
            language=written or "en", mode=DEFAULT_MODE, listener=listener,
        )  # fmt: skip
        return analysis, picks
    finally:
        await app.close()


async def import_catalog(settings: Settings, path: Path, progress: bool = True) -> Any:
    from moodtune.catalog.loader import import_file
    from moodtune.storage.db import make_engine, make_session_factory

    await upgrade_database(settings)
    db = make_engine(settings.resolved_database_url)
    try:
        engines = Engines(settings)
        return await import_file(path, make_session_factory(db), engines.text, progress=progress)
    finally:
        await db.dispose()


async def upgrade_database(settings: Settings) -> str:
    from moodtune.storage.db import DatabaseUrlError, upgrade

    url = settings.resolved_database_url
    try:
        await asyncio.to_thread(upgrade, url)
    except DatabaseUrlError as error:
        raise ConfigurationError(f"MOODTUNE_DATABASE_URL: {error}") from error
    except OSError as error:
        raise ConfigurationError(f"cannot reach the database at {url}: {error}") from error
    return url


def annotate_photo(data: bytes, reading: Reading) -> bytes:
    from moodtune.emotion_engines.photo import annotate_photo as draw

    return draw(data, reading)
