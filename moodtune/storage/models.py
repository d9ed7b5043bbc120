"""The tables: people, chats, tracks, what was offered to whom, their thumbs, their moods,
what was offered to a group chat's room, daily check-ins and what each one sent, and the
inbox of incoming events."""

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

MODES = ("auto", "match", "lift")  # see recommender/modes.py; "auto" since migration 0003
PLATFORMS = ("telegram", "discord", "local", "web")
CHAT_KINDS = ("private", "group")
MOOD_KINDS = ("reading", "correction", "checkin")
STRATEGIES = ("fair", "average", "least-misery")  # group playlists (recommender/groups.py)
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
        CheckConstraint("mode IN ('match', 'lift', 'auto')", name="mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    platform_user_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str | None] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(8), default="auto", server_default="auto")
    created_at: Mapped[datetime] = _created()


class Chat(Base):
    """Where people talk to the bot: a private chat or a group, on one platform.

    Moods and offers name their chat by its platform id (`chat_id`), so what was said in a
    group can be told from what was said in private. `unreachable_since` is set when the
    platform refused to deliver there (the person blocked the bot, the bot was removed);
    the bot starts no conversation there until someone writes again.
    """

    __tablename__ = "chats"
    __table_args__ = (
        UniqueConstraint("platform", "platform_chat_id", name="uq_chats_platform_chat"),
        CheckConstraint("kind IN ('private', 'group')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    platform_chat_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200), default="")
    unreachable_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
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
        CheckConstraint("mode IN ('match', 'lift', 'auto')", name="mode"),
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
        Index("ix_mood_readings_chat_time", "chat_id", "created_at"),  # a group's moods
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


class InboxEvent(Base):
    """An incoming platform event, stored before the platform is told it arrived.

    `payload` is the event as the platform sent it (JSON), so it can be handled after a
    restart; `done_at` is set in the same transaction as the rows its answer stored, before
    the answer goes out, and `reply` records what that answer was (the offers' ids);
    `sent_at` once the platform took the answer. An answer stored but not known to be sent
    when the process stopped is sent again at the next start. Done events are kept a day
    (late re-deliveries are still recognised), then deleted; /forget deletes a person's at
    once.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("platform", "event_id", name="uq_inbox_platform_event"),
        Index("ix_inbox_pending", "platform", "done_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(128))
    chat_id: Mapped[str] = mapped_column(String(128))
    sender_id: Mapped[str] = mapped_column(String(128), index=True)  # for /forget
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = _created()
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reply: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RoomOffer(Base):
    """A track of a group playlist (/playlist): offered to the room, not to one person, so
    no member's /forget takes it away from the others. `for_person_id` is the member it
    was mainly for (emptied when they are forgotten)."""

    __tablename__ = "room_offers"
    __table_args__ = (
        Index("ix_room_offers_chat_recent", "platform", "chat_id", "id"),
        CheckConstraint("strategy IN ('fair', 'average', 'least-misery')", name="strategy"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(128))
    track_id: Mapped[int] = mapped_column(ForeignKey("tracks.id", ondelete="CASCADE"), index=True)
    for_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), index=True
    )
    rank: Mapped[int]
    strategy: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = _created()


class RoomVote(Base):
    """A member's thumb on a room offer. The thumb itself is a Feedback row on an offer of
    the track to the voter (a Recommendation in that chat, made on their first press), so
    it counts for the voter and only for them: their taste, /export and /forget see it as
    any other. One per member and room offer."""

    __tablename__ = "room_votes"

    room_offer_id: Mapped[int] = mapped_column(
        ForeignKey("room_offers.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )


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
