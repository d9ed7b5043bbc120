"""Shared fixtures: paths to third-party data, and the databases tests run on."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from moodtune.storage.db import on_server  # CREATE / DROP DATABASE, outside any transaction

REPO = Path(__file__).resolve().parent.parent
DLUT_CSV = REPO.parent / "shared" / "dlut" / "dict.csv"
POSTGRES_ENV = "MOODTUNE_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's .env or writes to their data dir."""
    from moodtune.config import get_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOODTUNE_DATA_DIR", str(tmp_path / "data"))
    for name in list(os.environ):
        if name.startswith("MOODTUNE_") and name not in {"MOODTUNE_DATA_DIR", POSTGRES_ENV}:
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def dlut_path() -> Path:
    """The DLUT lexicon from ../shared/dlut/dict.csv; tests that need it skip without it."""
    if not DLUT_CSV.is_file():
        pytest.skip(f"DLUT lexicon not found at {DLUT_CSV}")
    return DLUT_CSV


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A PostgreSQL URL from MOODTUNE_TEST_POSTGRES_URL; skip when unset (CI sets it)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    return url


# Databases. Storage-backed tests take `session_factory` (or `db_url`): each runs on a
# migrated, empty SQLite file and, when MOODTUNE_TEST_POSTGRES_URL is set, on PostgreSQL
# in a database of its own, created for this test session and dropped after it.


def _in_thread(coroutine: Any) -> Any:
    """Run a coroutine to completion on its own loop, whether or not one is running here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a SQLite file in tmp_path that does not exist yet (nor its folder)."""
    return f"sqlite+aiosqlite:///{tmp_path / 'db' / 'moodtune.db'}"


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from moodtune.storage.db import upgrade

    path = tmp_path_factory.mktemp("sqlite-template") / "migrated.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _postgres_database(postgres_url: str) -> Iterator[str]:
    from sqlalchemy.engine import make_url

    from moodtune.storage.db import upgrade

    name = f"moodtune_test_{uuid.uuid4().hex[:12]}"
    _in_thread(on_server(postgres_url, f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        _in_thread(on_server(postgres_url, drop))


@pytest.fixture
def own_postgres_database(postgres_url: str) -> Iterator[str]:
    """The URL of an empty PostgreSQL database of this test's own, dropped after it."""
    from sqlalchemy.engine import make_url

    name = f"moodtune_own_{uuid.uuid4().hex[:12]}"
    _in_thread(on_server(postgres_url, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        _in_thread(on_server(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database: a fresh SQLite file, or the session's PostgreSQL emptied."""
    if request.param == "sqlite":
        path = tmp_path / "db" / "moodtune.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(request.getfixturevalue("_migrated_sqlite"), path)
        return f"sqlite+aiosqlite:///{path}"
    from moodtune.storage.models import Base

    url = request.getfixturevalue("_postgres_database")
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    _in_thread(on_server(url, f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return url


@pytest.fixture
async def session_factory(db_url: str) -> AsyncIterator[Any]:
    """An async_sessionmaker over `db_url` (param: sqlite, postgresql)."""
    from moodtune.storage.db import make_engine, make_session_factory

    engine = make_engine(db_url)
    yield make_session_factory(engine)
    await engine.dispose()


@pytest.fixture(scope="session")
def catalog_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the bundled catalog annotated and loaded: opening moodtune
    annotates it (seconds), so that happens once per test session; tests copy the file."""
    from moodtune.bot.app import App
    from moodtune.config import Settings

    data_dir = tmp_path_factory.mktemp("catalog-template")

    async def build() -> None:
        app = await App.open(Settings(_env_file=None, data_dir=data_dir))  # type: ignore[call-arg]
        await app.close()

    _in_thread(build())
    return data_dir / "moodtune.db"
