"""Group playlists: the room's offers, members' votes on them, a group's moods by chat.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

Only new tables and an index: no existing table is copied (on SQLite a copy would drop the
old table, and with foreign keys on that deletes every thumb given on an offer).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "room_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.String(128), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=False),
        sa.Column("for_person_id", sa.Integer(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("strategy", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "strategy IN ('fair', 'average', 'least-misery')", name="ck_room_offers_strategy"
        ),
        sa.ForeignKeyConstraint(
            ["track_id"], ["tracks.id"], name="fk_room_offers_track_id_tracks", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["for_person_id"],
            ["persons.id"],
            name="fk_room_offers_for_person_id_persons",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_room_offers"),
    )
    op.create_index("ix_room_offers_chat_recent", "room_offers", ["platform", "chat_id", "id"])
    op.create_index("ix_room_offers_track_id", "room_offers", ["track_id"])
    op.create_index("ix_room_offers_for_person_id", "room_offers", ["for_person_id"])
    op.create_table(
        "room_votes",
        sa.Column("room_offer_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_offer_id"],
            ["room_offers.id"],
            name="fk_room_votes_room_offer_id_room_offers",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name="fk_room_votes_person_id_persons",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name="fk_room_votes_recommendation_id_recommendations",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("room_offer_id", "person_id", name="pk_room_votes"),
    )
    op.create_index("ix_room_votes_person_id", "room_votes", ["person_id"])
    op.create_index("ix_room_votes_recommendation_id", "room_votes", ["recommendation_id"])
    op.create_index("ix_mood_readings_chat_time", "mood_readings", ["chat_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_mood_readings_chat_time", "mood_readings")
    op.drop_table("room_votes")
    op.drop_table("room_offers")
