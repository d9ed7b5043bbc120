"""Initial schema: persons, tracks, recommendations, feedback, mood readings.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Plain column types on purpose (not the models' TypeDecorators), so this migration keeps
meaning the same thing whatever later happens to the Python code: vectors are 84-byte
float32 blobs, times are timezone-aware UTC.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _created() -> sa.Column:
    return sa.Column("created_at", UTC_TIME, nullable=False)


def _person_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["person_id"], ["persons.id"], name=f"fk_{table}_person_id_persons", ondelete="CASCADE"
    )


def _track_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["track_id"], ["tracks.id"], name=f"fk_{table}_track_id_tracks", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "persons",
        _id(),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("platform_user_id", sa.String(128), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("mode", sa.String(8), server_default="match", nullable=False),
        _created(),
        sa.CheckConstraint("mode IN ('match', 'lift')", name="ck_persons_mode"),
        sa.PrimaryKeyConstraint("id", name="pk_persons"),
        sa.UniqueConstraint("platform", "platform_user_id", name="uq_persons_platform_user"),
    )
    op.create_table(
        "tracks",
        _id(),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("artists", sa.JSON(), nullable=False),
        sa.Column("album", sa.String(300), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("genre", sa.String(100), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(2000), nullable=False),
        sa.Column("valence", sa.Double(), nullable=True),
        sa.Column("energy", sa.Double(), nullable=True),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("has_lyrics", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("dedupe_key", sa.String(40), nullable=False),
        _created(),
        sa.PrimaryKeyConstraint("id", name="pk_tracks"),
        sa.UniqueConstraint("dedupe_key", name="uq_tracks_dedupe_key"),
    )
    op.create_table(
        "mood_readings",
        _id(),
        sa.Column("person_id", sa.Integer(), nullable=False),
        _created(),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("modality", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.String(128), nullable=True),
        sa.CheckConstraint("kind IN ('reading', 'correction')", name="ck_mood_readings_kind"),
        sa.CheckConstraint(
            "confidence >= 0 AND confidence <= 1", name="ck_mood_readings_confidence"
        ),
        _person_fk("mood_readings"),
        sa.PrimaryKeyConstraint("id", name="pk_mood_readings"),
    )
    op.create_index("ix_mood_readings_person_time", "mood_readings", ["person_id", "created_at"])
    op.create_table(
        "recommendations",
        _id(),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=False),
        _created(),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("distance", sa.Double(), nullable=False),
        sa.Column("mood", sa.LargeBinary(), nullable=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("chat_id", sa.String(128), nullable=True),
        sa.CheckConstraint("mode IN ('match', 'lift')", name="ck_recommendations_mode"),
        _person_fk("recommendations"),
        _track_fk("recommendations"),
        sa.PrimaryKeyConstraint("id", name="pk_recommendations"),
    )
    op.create_index("ix_recommendations_person_recent", "recommendations", ["person_id", "id"])
    op.create_index("ix_recommendations_track_id", "recommendations", ["track_id"])
    op.create_table(
        "feedback",
        _id(),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        _created(),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.CheckConstraint("value IN (-1, 1)", name="ck_feedback_value"),
        _person_fk("feedback"),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name="fk_feedback_recommendation_id_recommendations",
            ondelete="CASCADE",
        ),
        _track_fk("feedback"),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
        sa.UniqueConstraint("person_id", "recommendation_id", name="uq_feedback_person_rec"),
    )
    op.create_index("ix_feedback_recommendation_id", "feedback", ["recommendation_id"])
    op.create_index("ix_feedback_track_id", "feedback", ["track_id"])


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("recommendations")
    op.drop_table("mood_readings")
    op.drop_table("tracks")
    op.drop_table("persons")
