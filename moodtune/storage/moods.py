"""A person's moods over time: each reading (or their own correction), for decay and history."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.emotion import EmotionVector
from moodtune.storage.models import MOOD_KINDS, MoodReading, Person
from moodtune.storage.types import utc_now, vector_from_bytes, vector_to_bytes


class MoodError(ValueError):
    """A mood that cannot be stored: unknown kind or a confidence outside 0..1."""


async def record(
    session: AsyncSession,
    person_id: int,
    vector: EmotionVector | np.ndarray,
    confidence: float,
    modality: str,
    kind: str = "reading",
    chat_id: str | int | None = None,
    at: datetime | None = None,
) -> MoodReading:
    row = mood_row(person_id, vector, confidence, modality, kind, chat_id, at)
    reading = MoodReading(**{**row, "vector": vector_from_bytes(row["vector"])})
    session.add(reading)
    await session.flush()
    return reading


def mood_row(
    person_id: int,
    vector: EmotionVector | np.ndarray,
    confidence: float,
    modality: str,
    kind: str = "reading",
    chat_id: str | int | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """A mood_readings row, checked: for `record` and for the batched writes of the bot."""
    if kind not in MOOD_KINDS:
        raise MoodError(f"unknown mood kind {kind!r}; expected one of {', '.join(MOOD_KINDS)}")
    if not math.isfinite(confidence) or not 0.0 <= confidence <= 1.0:
        raise MoodError(f"confidence must be within 0..1, got {confidence!r}")
    return {
        "person_id": person_id,
        "vector": vector_to_bytes(vector),  # checked and encoded once, stored as is
        "confidence": float(confidence),
        "modality": modality,
        "kind": kind,
        "chat_id": None if chat_id is None else str(chat_id),
        "created_at": at or utc_now(),
    }


async def since(
    session: AsyncSession, person_id: int, start: datetime, limit: int = 500
) -> list[MoodReading]:
    """The person's moods from `start` on, oldest first (at most the newest `limit`)."""
    query = (
        select(MoodReading)
        .where(MoodReading.person_id == person_id, MoodReading.created_at >= start)
        .order_by(MoodReading.created_at.desc(), MoodReading.id.desc())
        .limit(limit)
    )
    return list(reversed((await session.scalars(query)).all()))


@dataclass(frozen=True, slots=True)
class ChatMood:
    """A mood a member told the bot in a group chat, and who they are there."""

    person_id: int
    user_id: str
    display_name: str
    language: str | None
    vector: np.ndarray
    confidence: float
    modality: str
    kind: str
    created_at: datetime


async def in_chat(
    session: AsyncSession,
    platform: str,
    chat_id: str,
    start: datetime,
    limit: int = 20_000,
    person_id: int | None = None,
) -> list[ChatMood]:
    """The moods read in one chat since `start` (of one member, or of everyone), oldest
    first, at most the newest `limit`. Only what was said in that chat: a person's moods
    from their private chat with the bot, or from another group, are never among them."""
    query = (
        select(MoodReading, Person.platform_user_id, Person.display_name, Person.language)
        .join(Person, Person.id == MoodReading.person_id)
        .where(
            MoodReading.chat_id == str(chat_id),
            MoodReading.created_at >= start,
            Person.platform == platform,
        )
        .order_by(MoodReading.created_at.desc(), MoodReading.id.desc())
        .limit(limit)
    )
    if person_id is not None:
        query = query.where(MoodReading.person_id == person_id)
    rows = (await session.execute(query)).all()
    return [
        ChatMood(
            m.person_id, user_id, name, language, m.vector, m.confidence, m.modality, m.kind,
            m.created_at,
        )
        for m, user_id, name, language in reversed(rows)
    ]  # fmt: skip


async def forget_in_chat(session: AsyncSession, person_id: int, chat_id: str) -> int:
    """Delete a person's moods read in one chat (they left it); how many rows."""
    statement = delete(MoodReading).where(
        MoodReading.person_id == person_id, MoodReading.chat_id == str(chat_id)
    )
    return (await session.execute(statement)).rowcount or 0
