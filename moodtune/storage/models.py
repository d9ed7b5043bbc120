"""The tables: people, tracks, what was offered to whom, their thumbs, their moods, daily
check-ins and what each one sent."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import numpy as np
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    MetaData,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, orm_insert_sentinel

from moodtune.storage.types import UTCDateTime, Vector, utc_now

MODES = ("match", "lift")
PLATFORMS = ("telegram", "discord", "local")
MOOD_KINDS = ("reading", "correction", "checkin")
CHAT_KINDS = ("private", "group")
# What became of a check-in on one local day: going out (or died going out: never resent),
# delivered, refused for good, failed (retried while `retry_at` is set), skipped on
# request, missed (due while no bot ran, beyond the grace window).
SEND_STATUSES = ("sending", "delivered", "unreachable", "failed", "skipped", "missed")

# Named constraints, so migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, np.ndarray: Vector}  # noqa: RUF012


def _created() -> Any:
    return mapped_column(UTCDateTime, default=utc_now, nullable=False)


class Person(Base):
    """Someone who talks to the bot on one platform."""

    __tablename__ = "persons"
    __table_args__ = (
        UniqueConstraint("platform", "platform_user_id", name="uq_persons_platform_user"),
        CheckConstraint("mode IN ('match', 'lift')", name="mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    platform_user_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str | None] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(8), default="match", server_default="match")
    created_at: Mapped[datetime] = _created()


class Track(Base):
    """One piece of music and its emotion vector (all zero: not recommendable)."""

    __tablename__ = "tracks"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    artists: Mapped[list[str]] = mapped_column(JSON)
    album: Mapped[str] = mapped_column(String(300), default="")
    language: Mapped[str] = mapped_column(String(16), default="")
    year: Mapped[int | None]
    genre: Mapped[str] = mapped_column(String(100), default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    link: Mapped[str] = mapped_column(String(2000), default="")
    valence: Mapped[float | None]
    energy: Mapped[float | None]
    vector: Mapped[np.ndarray]
    has_lyrics: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(300), default="")
    dedupe_key: Mapped[str] = mapped_column(String(40), unique=True)  # see tracks.dedupe_key
    created_at: Mapped[datetime] = _created()


class Recommendation(Base):
    """A track offered to a person, with the mood it answered and where it was shown."""

    __tablename__ = "recommendations"
    __table_args__ = (
        Index("ix_recommendations_person_recent", "person_id", "id"),
        CheckConstraint("mode IN ('match', 'lift')", name="mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    track_id: Mapped[int] = mapped_column(ForeignKey("tracks.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = _created()
    rank: Mapped[int]
    distance: Mapped[float]
    mood: Mapped[np.ndarray]
    mode: Mapped[str] = mapped_column(String(8))
    chat_id: Mapped[str | None] = mapped_column(String(128))
    # Lets SQLite return the ids of many offers inserted at once in their order: without it
    # SQLAlchemy inserts them one statement each (see storage/batch_writer.py).
    insert_sentinel: Mapped[int | None] = orm_insert_sentinel("insert_sentinel")


class Feedback(Base):
    """A thumb on one recommendation: one per person and recommendation, changeable."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("person_id", "recommendation_id", name="uq_feedback_person_rec"),
        CheckConstraint("value IN (-1, 1)", name="value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    track_id: Mapped[int] = mapped_column(ForeignKey("tracks.id", ondelete="CASCADE"), index=True)
    value: Mapped[int]
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utc_now, onupdate=utc_now, nullable=False
    )


class MoodReading(Base):
    """A person's mood at one moment (read from a message, or corrected by them)."""

    __tablename__ = "mood_readings"
    __table_args__ = (
        Index("ix_mood_readings_person_time", "person_id", "created_at"),
        CheckConstraint("kind IN ('reading', 'correction', 'checkin')", name="kind"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = _created()
    vector: Mapped[np.ndarray]
    confidence: Mapped[float]
    modality: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16), default="reading")
    chat_id: Mapped[str | None] = mapped_column(String(128))


class CheckIn(Base):
    """A daily check-in: the bot asks a person (in their private chat) or a group how they
    feel, every day at `local_time` in `zone`. `next_due_at` (UTC) is the source of truth
    for when; `next_due_day` is the local day that instant belongs to. A process sending it
    first claims the row (`claimed_by`, a token of its own; `claimed_at`): a claim older
    than the timeout is taken over."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", name="uq_checkins_platform_chat"),
        CheckConstraint("chat_kind IN ('private', 'group')", name="chat_kind"),
        CheckConstraint(
            "(chat_kind = 'private') = (person_id IS NOT NULL)", name="private_has_person"
        ),
        Index(
            "ix_checkins_due",
            "next_due_at",
            postgresql_where=text("NOT paused AND unreachable_at IS NULL"),
            sqlite_where=text("NOT paused AND unreachable_at IS NULL"),
        ),
        Index(
            "ix_checkins_unreachable",
            "platform",
            "chat_id",
            postgresql_where=text("unreachable_at IS NOT NULL"),
            sqlite_where=text("unreachable_at IS NOT NULL"),
        ),
        # Each row is updated twice a day (claimed, moved on), never in an indexed column:
        # room on its page lets PostgreSQL update it in place (HOT), indexes untouched.
        {"postgresql_with": {"fillfactor": 80}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(128))
    chat_kind: Mapped[str] = mapped_column(String(8))
    # The person a private check-in asks; None for a group's (it is the room's, not the
    # admin's who set it, so forgetting that admin leaves the room's check-in alone).
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    local_time: Mapped[time]
    zone: Mapped[str] = mapped_column(String(64))  # an IANA key, "UTC" or "+08:00"
    language: Mapped[str] = mapped_column(String(8))
    next_due_at: Mapped[datetime]
    next_due_day: Mapped[date]
    paused: Mapped[bool] = mapped_column(default=False)  # /checkin off
    skip_next: Mapped[bool] = mapped_column(default=False)  # /checkin skip
    unreachable_at: Mapped[datetime | None]  # the platform refused delivery; until they write
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utc_now, onupdate=utc_now, nullable=False
    )


class CheckInSend(Base):
    """A check-in on one local day, recorded before it is sent: unique per check-in and
    day, so no process sends a day twice."""

    __tablename__ = "checkin_sends"
    __table_args__ = (
        UniqueConstraint("checkin_id", "local_day", name="uq_checkin_sends_checkin_day"),
        CheckConstraint(
            "status IN ('sending', 'delivered', 'unreachable', 'failed', 'skipped', 'missed')",
            name="status",
        ),
        Index(
            "ix_checkin_sends_retry",
            "retry_at",
            postgresql_where=text("retry_at IS NOT NULL"),
            sqlite_where=text("retry_at IS NOT NULL"),
        ),
        Index("ix_checkin_sends_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    local_day: Mapped[date]
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(default=0)
    retry_at: Mapped[datetime | None]  # a failed send is tried again then (if still in time)
    created_at: Mapped[datetime] = _created()  # recorded: before it went out
    finished_at: Mapped[datetime | None]  # when its outcome was known
