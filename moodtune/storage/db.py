"""Engines, sessions and migrations for SQLite (the default) and PostgreSQL (production).

engine = make_engine(url)               # async; SQLite file and its folder created on use
upgrade(url)                            # Alembic migrations to head, from sync or async code
sessions = make_session_factory(engine)
async with sessions() as session, session.begin():
    ...
"""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

MIGRATIONS = "moodtune:migrations"  # inside the package, so any install can migrate
ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
SQLITE_BUSY_MS = 5000  # how long a writer waits for another (the bot while an import runs)
MIN_SQLITE = (3, 35)  # INSERT … RETURNING and ALTER TABLE … DROP COLUMN


class DatabaseUrlError(ValueError):
    """A database URL that is malformed or names a database moodtune cannot use."""


def async_url(url: str | URL) -> URL:
    """The URL with its async driver: 'sqlite:///x.db' and 'postgresql://…' are fine too.

    Error messages never repeat the URL: it may hold a password.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: e.g. a port that is not a number
        raise DatabaseUrlError(
            "the database URL is malformed; expected e.g. sqlite:///path/moodtune.db "
            "or postgresql://user@host/dbname"
        ) from None
    backend = parsed.get_backend_name()
    backend = "postgresql" if backend == "postgres" else backend
    if backend not in ASYNC_DRIVERS:
        raise DatabaseUrlError(f"moodtune stores its data in SQLite or PostgreSQL, not {backend!r}")
    wanted = ASYNC_DRIVERS[backend]
    if "+" in parsed.drivername and parsed.drivername != wanted:
        raise DatabaseUrlError(f"use the async driver {wanted!r}, not {parsed.drivername!r}")
    return parsed.set(drivername=wanted)


def make_engine(url: str | URL, **options: Any) -> AsyncEngine:
    """An async engine; for SQLite also the file's folder, foreign keys, WAL and real BEGINs."""
    parsed = async_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(parsed, pool_pre_ping=True, **options)
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise DatabaseUrlError(
            f"moodtune needs SQLite {'.'.join(map(str, MIN_SQLITE))} or newer; this Python has "
            f"{sqlite3.sqlite_version}: use a newer Python build, or PostgreSQL"
        )
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or "mode=memory" in str(parsed.query)
    if in_memory:
        options.setdefault("poolclass", StaticPool)  # one shared connection: one database
    elif not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(parsed, **options)
    _configure_sqlite(engine, wal=not in_memory)
    return engine


def _configure_sqlite(engine: AsyncEngine, wal: bool) -> None:
    # pysqlite opens transactions lazily and never for DDL, which breaks savepoints and
    # all-or-nothing migrations; SQLAlchemy's documented cure is to emit BEGIN ourselves.
    # IMMEDIATE takes SQLite's single write lock up front: a read-then-write transaction
    # (find a person, then save them) waits its turn instead of failing "database is
    # locked" when another writer got in between.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        if wal:  # other processes can read while we write; NORMAL sync is safe with WAL
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (handlers use them after saving)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    """Alembic's configuration without an alembic.ini: the migrations ship in the package."""
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return config


def upgrade(url: str | URL, revision: str = "head") -> None:
    """Migrate the database to `revision`; safe to call from inside a running event loop.

    Alembic's API is synchronous and our drivers are not, so the migration runs on its own
    event loop in a worker thread, over one connection and in one transaction.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="moodtune-migrate") as pool:
        pool.submit(asyncio.run, _upgrade(url, revision)).result()


async def _upgrade(url: str | URL, revision: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run_alembic_upgrade, revision)
    finally:
        await engine.dispose()


def _run_alembic_upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection  # env.py migrates over this connection
    command.upgrade(config, revision)


def current_revision(url: str | URL) -> str | None:
    """The revision the database is at (None for a database never migrated)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="moodtune-migrate") as pool:
        return pool.submit(asyncio.run, _current_revision(url)).result()


async def _current_revision(url: str | URL) -> str | None:
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()


async def on_server(url: str, statement: str) -> None:
    """One PostgreSQL statement outside any transaction (CREATE / DROP DATABASE, which
    cannot run inside one), on the server `url` names: for tests and benchmarks that make
    databases of their own."""
    import asyncpg

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()
