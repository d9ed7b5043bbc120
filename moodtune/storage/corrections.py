"""Labelled examples: what was read from a person, and the mood they said they were in.

A correction is stored as a mood of kind "correction"; the reading it corrects is that
person's last reading before it. Pairs of the two are examples to check or tune the
engines against.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.storage.models import MoodReading


@dataclass(frozen=True)
class LabelledExample:
    read: MoodReading  # what the engines read (kind "reading")
    label: MoodReading  # what the person said (kind "correction")


async def labelled_examples(session: AsyncSession, limit: int = 1000) -> list[LabelledExample]:
    """The newest corrections (at most `limit`) that follow a reading, newest first."""
    corrections = await session.scalars(
        select(MoodReading)
        .where(MoodReading.kind == "correction")
        .order_by(MoodReading.created_at.desc(), MoodReading.id.desc())
        .limit(limit)
    )
    examples = []
    for correction in corrections.all():
        read = await session.scalar(
            select(MoodReading)
            .where(
                MoodReading.person_id == correction.person_id,
                MoodReading.kind == "reading",
                MoodReading.created_at <= correction.created_at,
                MoodReading.id != correction.id,
            )
            .order_by(MoodReading.created_at.desc(), MoodReading.id.desc())
            .limit(1)
        )
        if read is not None:
            examples.append(LabelledExample(read, correction))
    return examples
