"""Alembic environment: migrate over a given connection, or open one from the settings.

`moodtune.storage.db.upgrade(url)` passes its connection in `config.attributes`; the
`alembic` command line (with the repository's alembic.ini) opens its own from
`sqlalchemy.url` or, when that is empty, from moodtune's settings.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from moodtune.config import get_settings
from moodtune.storage.db import make_engine
from moodtune.storage.models import Base

config = context.config
if config.config_file_name is not None:  # the alembic command line: log as alembic.ini says
    fileConfig(config.config_file_name, disable_existing_loggers=False)
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by copying
        transactional_ddl=True,  # true on SQLite too, thanks to the BEGIN that db.py emits
        compare_type=True,
    )


def _migrate(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _migrate_from_url(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_migrate)
    finally:
        await engine.dispose()


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().resolved_database_url


def run_offline() -> None:
    """`alembic upgrade head --sql`: print the SQL instead of running it."""
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
    else:
        asyncio.run(_migrate_from_url(_url()))


if context.is_offline_mode():
    run_offline()
else:
    run_online()
