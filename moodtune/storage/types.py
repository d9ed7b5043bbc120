"""Column types that behave the same on SQLite and PostgreSQL: UTC times and 21-float vectors."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import DateTime, Dialect, LargeBinary
from sqlalchemy.types import TypeDecorator

from moodtune.emotion import DIM, EmotionVector

# Little-endian float32, fixed: a database written on one machine loads on any other.
VECTOR_DTYPE = np.dtype("<f4")
VECTOR_BYTES = DIM * VECTOR_DTYPE.itemsize


class VectorError(ValueError):
    """A vector that cannot be stored: wrong length, NaN or infinite entries."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Always timezone-aware UTC in Python, whatever the database keeps.

    SQLite has no time zones and hands back naive datetimes; PostgreSQL returns aware
    ones. Naive values going in are taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def vector_to_bytes(value: EmotionVector | np.ndarray | Sequence[float] | bytes) -> bytes:
    """84 bytes of float32: ten times smaller than JSON and loaded with one frombuffer.

    Bytes already in that form pass through (after the same checks).
    """
    if isinstance(value, bytes | bytearray | memoryview):
        if len(value) != VECTOR_BYTES:
            raise VectorError(f"a stored vector is {VECTOR_BYTES} bytes, got {len(value)}")
        array = np.frombuffer(value, dtype=VECTOR_DTYPE)
    else:
        array = value.values if isinstance(value, EmotionVector) else value
        try:
            array = np.asarray(array, dtype=VECTOR_DTYPE)
        except (TypeError, ValueError) as error:
            raise VectorError(f"a vector must be {DIM} numbers: {error}") from None
    if array.shape != (DIM,):
        raise VectorError(f"a stored vector has {DIM} entries, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise VectorError("a stored vector must not contain NaN or infinite values")
    if np.any(array < 0):
        raise VectorError("an emotion vector must not have negative entries")
    return array.tobytes()


def vectors_from_bytes(blobs: Sequence[bytes]) -> np.ndarray:
    """Stack stored vectors into an (n, 21) float32 matrix in one copy."""
    if not blobs:
        return np.zeros((0, DIM), dtype=np.float32)
    joined = b"".join(blobs)
    if len(joined) != len(blobs) * VECTOR_BYTES:
        raise VectorError("a stored vector has the wrong size; the database may be corrupt")
    return np.frombuffer(joined, dtype=VECTOR_DTYPE).astype(np.float32).reshape(-1, DIM)


def vector_from_bytes(blob: bytes) -> np.ndarray:
    """One stored vector back as float32 (see vectors_from_bytes)."""
    return vectors_from_bytes([blob])[0]


def as_vector(value: EmotionVector | np.ndarray | Sequence[float] | bytes) -> np.ndarray:
    """The float32 array a stored vector reads back as, checked the same way."""
    return vector_from_bytes(vector_to_bytes(value))


class Vector(TypeDecorator[np.ndarray]):
    """A 21-float vector kept as a float32 blob (BLOB on SQLite, BYTEA on PostgreSQL)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if isinstance(value, bytes) and len(value) == VECTOR_BYTES:
            return value  # encoded (and checked) by vector_to_bytes already: bulk inserts
        return None if value is None else vector_to_bytes(value)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> np.ndarray | None:
        return None if value is None else vector_from_bytes(bytes(value))
