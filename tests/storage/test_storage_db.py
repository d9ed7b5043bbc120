"""Engines, URLs, migrations and column types, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from moodtune.emotion import DIM, EmotionVector
from moodtune.storage.db import (
    DatabaseUrlError,
    alembic_config,
    async_url,
    current_revision,
    make_engine,
    make_session_factory,
    on_server,
    upgrade,
)
from moodtune.storage.models import Base, Person, Recommendation
from moodtune.storage.types import VectorError, as_vector, vector_to_bytes, vectors_from_bytes

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()
TABLES = {"persons", "chats", "tracks", "recommendations", "feedback", "mood_readings"}
TABLES |= {"room_offers", "room_votes"}  # group playlists
TABLES |= {"inbox"}
TABLES |= {"checkins", "checkin_sends"}  # daily check-ins


def test_there_is_one_head_revision_and_it_is_the_newest() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    assert max(revision.revision for revision in script.walk_revisions()) == HEAD


async def test_the_chats_migration_goes_down_and_up_again(sqlite_url: str) -> None:
    before = ScriptDirectory.from_config(alembic_config()).get_revision("0004").down_revision
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    async with engine.begin() as connection:
        await connection.run_sync(_alembic, "downgrade", before)
        names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    assert "chats" not in names and "persons" in names
    upgrade(sqlite_url)
    assert current_revision(sqlite_url) == HEAD


def _alembic(connection: Connection, verb: str, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    getattr(command, verb)(config, revision)


async def _columns_and_rows(url: str) -> tuple[set[str], list[tuple[int, int]], list[int]]:
    """The recommendations table's columns, its (id, track) rows, and the feedback ids."""
    engine = make_engine(url)
    async with engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("recommendations")}
        )
        offers = await connection.execute(text("SELECT id, track_id FROM recommendations"))
        thumbs = (await connection.execute(text("SELECT id FROM feedback"))).scalars()
        result = columns, [tuple(row) for row in offers], list(thumbs)
    await engine.dispose()
    return result


async def test_the_insert_sentinel_migration_keeps_every_row(sqlite_url: str) -> None:
    """0001 → 0002 → 0001 → 0002 on a database with an offer and a thumb on it."""
    upgrade(sqlite_url, "0001")
    engine = make_engine(sqlite_url)
    now, mood = datetime.now(UTC), vector_to_bytes(np.zeros(DIM))
    async with engine.begin() as connection:
        for statement in (
            "INSERT INTO persons VALUES (1, 'local', 'me', '', NULL, 'match', :now)",
            "INSERT INTO tracks (id, title, artists, album, language, genre, tags, link, "
            "vector, has_lyrics, source, dedupe_key, created_at) VALUES "
            "(7, 'T', '[]', '', '', '', '[]', '', :mood, 0, '', 'k', :now)",
            "INSERT INTO recommendations VALUES (3, 1, 7, :now, 1, 0.5, :mood, 'match', NULL)",
            "INSERT INTO feedback (id, person_id, recommendation_id, track_id, value, "
            "created_at, updated_at) VALUES (5, 1, 3, 7, 1, :now, :now)",
        ):
            await connection.execute(text(statement), {"now": now, "mood": mood})
    await engine.dispose()
    upgrade(sqlite_url)
    columns, offers, thumbs = await _columns_and_rows(sqlite_url)
    assert "insert_sentinel" in columns and offers == [(3, 7)] and thumbs == [5]
    engine = make_engine(sqlite_url)
    async with engine.begin() as connection:
        await connection.run_sync(_alembic, "downgrade", "0001")
    await engine.dispose()
    columns, offers, thumbs = await _columns_and_rows(sqlite_url)
    assert "insert_sentinel" not in columns and offers == [(3, 7)] and thumbs == [5]
    upgrade(sqlite_url)
    assert current_revision(sqlite_url) == HEAD


async def test_upgrade_creates_every_table_on_a_new_sqlite_file(sqlite_url: str) -> None:
    assert current_revision(sqlite_url) is None
    upgrade(sqlite_url)  # called from inside a running event loop
    upgrade(sqlite_url)  # and again: nothing to do, nothing breaks
    assert current_revision(sqlite_url) == HEAD
    engine = make_engine(sqlite_url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    assert names >= TABLES | {"alembic_version"}


def test_upgrade_works_from_plain_synchronous_code(sqlite_url: str) -> None:
    upgrade(sqlite_url)
    assert current_revision(sqlite_url) == HEAD


async def test_migrated_schema_matches_the_models(db_url: str) -> None:
    """Both databases are at head and autogenerate finds nothing the migration missed."""
    assert current_revision(db_url) == HEAD
    engine = make_engine(db_url)
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
            )
        )
    await engine.dispose()
    assert differences == []


async def test_sqlite_gets_its_folder_foreign_keys_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "moodtune.db"
    engine = make_engine(f"sqlite:///{path}")  # the sync spelling is upgraded to aiosqlite
    async with engine.connect() as connection:
        foreign_keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
        journal = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
    await engine.dispose()
    assert path.parent.is_dir()
    assert (foreign_keys, journal) == (1, "wal")


async def test_foreign_keys_are_enforced(session_factory) -> None:
    with pytest.raises(IntegrityError):
        async with session_factory() as session, session.begin():
            orphan = Recommendation(
                person_id=999, track_id=999, rank=1, distance=0.1, mood=np.zeros(DIM), mode="match"
            )
            session.add(orphan)


async def test_a_failed_transaction_leaves_nothing_behind(session_factory) -> None:
    with pytest.raises(RuntimeError):
        async with session_factory() as session, session.begin():
            session.add(Person(platform="local", platform_user_id="x", display_name=""))
            await session.flush()
            raise RuntimeError("crash mid-transaction")
    async with session_factory() as session:
        assert (await session.scalars(select(Person))).all() == []


async def test_in_memory_sqlite_is_one_shared_database() -> None:
    engine = make_engine("sqlite+aiosqlite:///:memory:")
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    sessions = make_session_factory(engine)
    async with sessions() as session, session.begin():
        session.add(Person(platform="local", platform_user_id="me", display_name="Me"))
    async with sessions() as session:
        assert len((await session.scalars(select(Person))).all()) == 1
    await engine.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///x.db", "sqlite+aiosqlite"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite"),
        ("postgresql://u@h/db", "postgresql+asyncpg"),
        ("postgres://u@h/db", "postgresql+asyncpg"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg"),
    ],
)
def test_urls_get_their_async_driver(url: str, expected: str) -> None:
    assert async_url(url).drivername == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "SQLite or PostgreSQL"),
        ("postgresql+psycopg2://u@h/db", "async driver"),
        ("not a url at all", "malformed"),
        ("", "malformed"),
        ("postgresql://user:s3cret@host:bad/db", "malformed"),
    ],
)
def test_unusable_urls_are_refused_clearly(url: str, message: str) -> None:
    with pytest.raises(DatabaseUrlError, match=message):
        make_engine(url)


async def test_times_read_back_as_utc_on_both_databases(session_factory) -> None:
    moment = datetime(2024, 5, 1, 12, 30, tzinfo=timezone(timedelta(hours=8)))
    async with session_factory() as session, session.begin():
        session.add(Person(platform="local", platform_user_id="t", created_at=moment))
    async with session_factory() as session:
        person = (await session.scalars(select(Person))).one()
    assert person.created_at.tzinfo is not None
    assert person.created_at.utcoffset() == timedelta(0)
    assert person.created_at == moment.astimezone(UTC)


async def test_a_time_without_zone_is_taken_as_utc(session_factory) -> None:
    async with session_factory() as session, session.begin():
        session.add(
            Person(platform="local", platform_user_id="n", created_at=datetime(2024, 1, 1, 8))
        )
    async with session_factory() as session:
        person = (await session.scalars(select(Person))).one()
    assert person.created_at == datetime(2024, 1, 1, 8, tzinfo=UTC)


def test_vectors_round_trip_as_float32() -> None:
    vector = EmotionVector.from_scores({"PA": 2, "NB": 1})
    blob = vector_to_bytes(vector)
    assert len(blob) == DIM * 4
    np.testing.assert_array_equal(vectors_from_bytes([blob])[0], vector.values.astype(np.float32))
    assert vectors_from_bytes([]).shape == (0, DIM)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([0.1] * 20, "21 entries"),
        ([float("nan")] * DIM, "NaN"),
        ([float("inf")] + [0.0] * (DIM - 1), "NaN or infinite"),
        ([-0.5] + [0.0] * (DIM - 1), "negative"),
        (b"\x00" * 10, "84 bytes"),
        (["a"] * DIM, "21 numbers"),
    ],
)
def test_bad_vectors_are_refused(value: object, message: str) -> None:
    with pytest.raises(VectorError, match=message):
        as_vector(value)  # type: ignore[arg-type]


def test_a_corrupt_stored_vector_is_reported() -> None:
    with pytest.raises(VectorError, match="corrupt"):
        vectors_from_bytes([b"\x00" * 84, b"\x00" * 80])


async def test_raw_sql_sees_the_vector_as_84_bytes(session_factory) -> None:
    async with session_factory() as session, session.begin():
        session.add(Person(platform="local", platform_user_id="v"))
        await session.flush()
        person_id = (await session.scalars(select(Person.id))).one()
        from moodtune.storage import moods

        await moods.record(session, person_id, EmotionVector.from_scores({"PA": 1}), 0.5, "text")
    async with session_factory() as session:
        size = (await session.execute(text("SELECT vector FROM mood_readings"))).scalar_one()
    assert len(size) == DIM * 4


def test_url_errors_never_show_the_password() -> None:
    with pytest.raises(DatabaseUrlError) as caught:
        make_engine("mysql://user:s3cret@host/db")
    assert "s3cret" not in str(caught.value)


async def test_a_failing_migration_leaves_the_database_untouched(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    async with engine.begin() as connection:  # a stray table where ours will go
        await connection.exec_driver_sql("CREATE TABLE tracks (x INTEGER)")
    with pytest.raises(Exception, match="already exists"):
        upgrade(sqlite_url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    assert names == {"tracks"}  # persons, created first, was rolled back with the rest
    assert current_revision(sqlite_url) is None


def test_an_old_sqlite_is_named_not_failed_on_later(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("moodtune.storage.db.sqlite3.sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr("moodtune.storage.db.sqlite3.sqlite_version", "3.31.1")
    with pytest.raises(
        DatabaseUrlError, match=r"needs SQLite 3\.35 or newer; this Python has 3\.31\.1"
    ):
        make_engine(f"sqlite:///{tmp_path / 'x.db'}")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[str]:
    """An empty database, not migrated: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield sqlite_url
        return
    server = request.getfixturevalue("postgres_url")
    name = f"moodtune_migration_{uuid.uuid4().hex[:12]}"
    _in_loop(on_server(server, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        _in_loop(on_server(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _rows(url: str, statement: str) -> list[tuple]:
    engine = make_engine(url)
    async with engine.connect() as connection:
        rows = [tuple(row) for row in await connection.execute(text(statement))]
    await engine.dispose()
    return rows


async def _refused(url: str, statement: str) -> bool:
    """Whether the statement breaks a constraint (nothing is kept either way)."""
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(statement), {"now": datetime.now(UTC)})
    except IntegrityError:
        return True
    finally:
        await engine.dispose()
    return False


ALL_ROWS = (
    "SELECT (SELECT count(*) FROM persons), (SELECT count(*) FROM recommendations), "
    "(SELECT count(*) FROM feedback), (SELECT count(*) FROM mood_readings)"
)
NEW_PERSON = (
    "INSERT INTO persons (id, platform, platform_user_id, display_name, created_at) "
    "VALUES ({id}, 'local', 'p{id}', '', :now)"
)


def _downgrade(url: str, revision: str) -> None:
    async def run() -> None:
        engine = make_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(_alembic, "downgrade", revision)
        await engine.dispose()

    _in_loop(run())


def _in_loop(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine on a loop of its own, whether or not one is running here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


async def test_the_mode_auto_migration_up_and_down_keeps_every_row(empty_db_url: str) -> None:
    """0002 → 0003 → 0002 → 0003 with people in both old modes, an offer, a thumb, a mood."""
    url = empty_db_url
    upgrade(url, "0002")
    now, mood = datetime.now(UTC), vector_to_bytes(np.zeros(DIM))
    engine = make_engine(url)
    async with engine.begin() as connection:
        for statement in (
            "INSERT INTO persons VALUES (1, 'local', 'me', '', NULL, 'lift', :now)",
            "INSERT INTO persons VALUES (2, 'local', 'you', '', NULL, 'match', :now)",
            "INSERT INTO tracks (id, title, artists, album, language, genre, tags, link, "
            "vector, has_lyrics, source, dedupe_key, created_at) VALUES "
            "(7, 'T', '[]', '', '', '', '[]', '', :mood, false, '', 'k', :now)",
            "INSERT INTO recommendations (id, person_id, track_id, created_at, rank, distance, "
            "mood, mode, chat_id) VALUES (3, 1, 7, :now, 1, 0.5, :mood, 'lift', NULL)",
            "INSERT INTO feedback (id, person_id, recommendation_id, track_id, value, "
            "created_at, updated_at) VALUES (5, 1, 3, 7, 1, :now, :now)",
            "INSERT INTO mood_readings (id, person_id, created_at, vector, confidence, "
            "modality, kind, chat_id) VALUES (9, 1, :now, :mood, 0.5, 'text', 'reading', NULL)",
        ):
            await connection.execute(text(statement), {"now": now, "mood": mood})
    await engine.dispose()
    assert await _refused(url, NEW_PERSON.format(id=3)) is False
    assert await _rows(url, "SELECT mode FROM persons WHERE id = 3") == [("match",)]

    upgrade(url)
    assert current_revision(url) == HEAD
    assert await _rows(url, ALL_ROWS) == [(3, 1, 1, 1)]
    assert await _rows(url, "SELECT id, mode FROM persons ORDER BY id") == [
        (1, "lift"), (2, "match"), (3, "match"),  # people already stored keep their mode
    ]  # fmt: skip
    assert await _refused(url, NEW_PERSON.format(id=4)) is False
    assert await _rows(url, "SELECT mode FROM persons WHERE id = 4") == [("auto",)]
    offer = (
        "INSERT INTO recommendations (id, person_id, track_id, created_at, rank, distance, "
        "mood, mode) VALUES (4, 4, 7, :now, 1, 0.5, '', '{mode}')"
    )
    assert await _refused(url, offer.format(mode="auto")) is False
    assert await _refused(url, offer.replace("(4, 4", "(6, 4").format(mode="sideways"))
    sideways = "UPDATE persons SET mode = 'sideways' WHERE id = 1"
    assert await _refused(url, sideways)

    _downgrade(url, "0002")
    assert current_revision(url) == "0002"
    assert await _rows(url, ALL_ROWS) == [(4, 2, 1, 1)]
    assert await _rows(url, "SELECT id, mode FROM persons ORDER BY id") == [
        (1, "lift"), (2, "match"), (3, "match"), (4, "match"),
    ]  # fmt: skip
    assert await _rows(url, "SELECT id, mode FROM recommendations ORDER BY id") == [
        (3, "lift"), (4, "match"),
    ]  # fmt: skip
    assert await _refused(url, "UPDATE persons SET mode = 'auto' WHERE id = 1")
    assert await _refused(url, NEW_PERSON.format(id=5)) is False
    assert await _rows(url, "SELECT mode FROM persons WHERE id = 5") == [("match",)]

    upgrade(url)
    assert current_revision(url) == HEAD
    assert await _rows(url, ALL_ROWS) == [(5, 2, 1, 1)]
