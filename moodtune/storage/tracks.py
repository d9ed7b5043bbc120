"""The catalog in the database: bulk insert without duplicates, and fast vector loading."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import LargeBinary, func, insert, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.emotion import DIM
from moodtune.storage.models import Track
from moodtune.storage.types import VECTOR_DTYPE, utc_now, vector_to_bytes, vectors_from_bytes

# Fewer bound parameters per statement than any backend's limit (SQLite 32766, asyncpg 32767).
CHUNK = 1000
ZERO_VECTOR = np.zeros(DIM, dtype=VECTOR_DTYPE).tobytes()
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class AddResult:
    inserted: int
    duplicates: list[int] = field(default_factory=list)  # positions in the input


def normalise(text: str) -> str:
    """Case, width, accents-as-composed, punctuation and spacing do not make a new track."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = _NOT_WORD.sub(" ", folded).split()
    return " ".join(words) if words else " ".join(folded.split())


def dedupe_key(title: str, artists: Iterable[str]) -> str:
    """SHA-1 of the normalised title and sorted artists: short enough for any unique index."""
    names = sorted({normalise(a) for a in artists} - {""})
    text = "\x1f".join([normalise(title), *names])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


async def _existing_keys(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        rows = await session.execute(select(Track.dedupe_key).where(Track.dedupe_key.in_(chunk)))
        found.update(rows.scalars())
    return found


class TrackRowError(ValueError):
    """A track row for add_many that lacks title, artists or vector, or has unknown columns."""


# Every column a caller may give, with the value used when it gives none.
DEFAULTS: dict[str, Any] = {
    "album": "", "language": "", "year": None, "genre": "", "tags": [], "link": "",
    "valence": None, "energy": None, "has_lyrics": False, "source": "",
}  # fmt: skip
REQUIRED = ("title", "artists", "vector")


def _complete(row: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    # One shape for every row: a Core executemany binds the first row's keys for all.
    missing = [name for name in REQUIRED if name not in row]
    unknown = set(row) - set(DEFAULTS) - {*REQUIRED, "dedupe_key"}
    if missing:
        raise TrackRowError(f"a track row needs {', '.join(missing)}")
    if unknown:
        raise TrackRowError(f"tracks have no column {', '.join(sorted(unknown))}")
    full = {**DEFAULTS, **row, "vector": vector_to_bytes(row["vector"]), "created_at": now}
    full["dedupe_key"] = row.get("dedupe_key") or dedupe_key(row["title"], row["artists"])
    return full


async def add_many(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> AddResult:
    """Insert tracks (dicts of Track columns), skipping any already stored or repeated.

    `dedupe_key` is computed from title and artists when a row has none. Returns how many
    were inserted and the input positions of the duplicates, so callers can report them.
    Every row is checked before anything is inserted.
    """
    now = utc_now()
    complete = [_complete(row, now) for row in rows]
    taken = await _existing_keys(session, list({row["dedupe_key"] for row in complete}))
    fresh: list[dict[str, Any]] = []
    duplicates: list[int] = []
    for position, row in enumerate(complete):
        if row["dedupe_key"] in taken:
            duplicates.append(position)
        else:
            taken.add(row["dedupe_key"])
            fresh.append(row)
    for start in range(0, len(fresh), CHUNK):
        await session.execute(insert(Track.__table__), fresh[start : start + CHUNK])
    return AddResult(inserted=len(fresh), duplicates=duplicates)


def _raw_vector() -> Any:
    # The stored bytes as they are: decoding happens once, for the whole matrix.
    return type_coerce(Track.vector, LargeBinary)


async def count(session: AsyncSession, recommendable_only: bool = False) -> int:
    query = select(func.count()).select_from(Track)
    if recommendable_only:
        query = query.where(_raw_vector() != ZERO_VECTOR)
    return (await session.execute(query)).scalar_one()


async def load_matrix(session: AsyncSession) -> tuple[np.ndarray, np.ndarray]:
    """Ids (int64, ascending) and vectors (float32, n × 21) of every recommendable track.

    Tracks with the zero vector (nothing was known about their mood) are left out. Rows go
    straight through the driver (aiosqlite or asyncpg), in the session's transaction:
    SQLAlchemy's row processing would triple the time (≈0.25 s per 100k tracks instead).
    """
    rows = await _fetch_raw(session, "SELECT id, vector FROM tracks ORDER BY id")
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    vectors = vectors_from_bytes([bytes(row[1]) for row in rows])
    keep = vectors.any(axis=1)
    return ids[keep], vectors[keep]


async def _fetch_raw(session: AsyncSession, sql: str) -> Sequence[Sequence[Any]]:
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    if connection.dialect.name == "sqlite":
        return list(await driver.execute_fetchall(sql))  # type: ignore[union-attr]
    return await driver.fetch(sql)  # type: ignore[union-attr]


async def get_many(session: AsyncSession, ids: Sequence[int]) -> list[Track]:
    """The tracks with these ids, in the order asked; ids that do not exist are left out."""
    wanted = [int(i) for i in ids]
    found: dict[int, Track] = {}
    unique = list(dict.fromkeys(wanted))
    for start in range(0, len(unique), CHUNK):
        query = select(Track).where(Track.id.in_(unique[start : start + CHUNK]))
        found.update((track.id, track) for track in (await session.scalars(query)))
    return [found[i] for i in wanted if i in found]
