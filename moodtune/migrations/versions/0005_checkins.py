"""Daily check-ins and what each sent; moods of kind "checkin".

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

`checkins` holds each check-in's next due instant in UTC (the scheduler's source of
truth) and the claim of the process sending it; `checkin_sends` one row per check-in and
local day, written before the message goes out. The partial index on `next_due_at` covers
only check-ins that can be due, so a tick reads the few due rows, not the table; the
unreachable ones and the sends by time are indexed for what each bot keeps in memory.

mood_readings' CHECK on `kind` gains 'checkin'. SQLite cannot alter a constraint, so
there the table is copied (batch mode); nothing references mood_readings, so no foreign
key action fires.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)
KINDS_BEFORE = "kind IN ('reading', 'correction')"
KINDS_AFTER = "kind IN ('reading', 'correction', 'checkin')"
CAN_BE_DUE = sa.text("NOT paused AND unreachable_at IS NULL")
UNREACHABLE = sa.text("unreachable_at IS NOT NULL")
RETRIES = sa.text("retry_at IS NOT NULL")


def _mood_kinds(drop: str, create: str, check: str) -> None:
    with op.batch_alter_table("mood_readings") as batch:
        batch.drop_constraint(drop, type_="check")
        batch.create_check_constraint(create, check)


def upgrade() -> None:
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.String(128), nullable=False),
        sa.Column("chat_kind", sa.String(8), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("local_time", sa.Time(), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("next_due_at", UTC_TIME, nullable=False),
        sa.Column("next_due_day", sa.Date(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("skip_next", sa.Boolean(), nullable=False),
        sa.Column("unreachable_at", UTC_TIME, nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_at", UTC_TIME, nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.CheckConstraint("chat_kind IN ('private', 'group')", name="chat_kind"),
        sa.CheckConstraint(
            "(chat_kind = 'private') = (person_id IS NOT NULL)",
            name="private_has_person",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name="fk_checkins_person_id_persons",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_checkins"),
        sa.UniqueConstraint("platform", "chat_id", name="uq_checkins_platform_chat"),
        postgresql_with={"fillfactor": 80},  # updated twice a day: in place (HOT), not moved
    )
    op.create_index("ix_checkins_person_id", "checkins", ["person_id"])
    op.create_index(
        "ix_checkins_due",
        "checkins",
        ["next_due_at"],
        postgresql_where=CAN_BE_DUE,
        sqlite_where=CAN_BE_DUE,
    )
    op.create_index(
        "ix_checkins_unreachable",
        "checkins",
        ["platform", "chat_id"],
        postgresql_where=UNREACHABLE,
        sqlite_where=UNREACHABLE,
    )
    op.create_table(
        "checkin_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("local_day", sa.Date(), nullable=False),
        sa.Column("due_at", UTC_TIME, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("retry_at", UTC_TIME, nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("finished_at", UTC_TIME, nullable=True),
        sa.CheckConstraint(
            "status IN ('sending', 'delivered', 'unreachable', 'failed', 'skipped', 'missed')",
            name="status",
        ),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkins.id"],
            name="fk_checkin_sends_checkin_id_checkins",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_checkin_sends"),
        sa.UniqueConstraint("checkin_id", "local_day", name="uq_checkin_sends_checkin_day"),
    )
    op.create_index(
        "ix_checkin_sends_retry",
        "checkin_sends",
        ["retry_at"],
        postgresql_where=RETRIES,
        sqlite_where=RETRIES,
    )
    op.create_index("ix_checkin_sends_created_at", "checkin_sends", ["created_at"])
    # Names go through the naming convention: 0001's "ck_mood_readings_kind" became
    # ck_mood_readings_ck_mood_readings_kind; the new one is named as the models name it.
    _mood_kinds("ck_mood_readings_kind", "kind", KINDS_AFTER)


def downgrade() -> None:
    # The answers to check-ins stay, as ordinary readings.
    op.execute("UPDATE mood_readings SET kind = 'reading' WHERE kind = 'checkin'")
    _mood_kinds(op.f("ck_mood_readings_kind"), "ck_mood_readings_kind", KINDS_BEFORE)
    op.drop_table("checkin_sends")
    op.drop_table("checkins")
