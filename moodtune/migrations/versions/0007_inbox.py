"""inbox: every incoming event stored before the platform is told it arrived.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

A crash or a restart no longer loses the messages being handled: what is stored but not
done is handled on the next start, and the unique (platform, event id) makes a
re-delivery harmless.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(128), nullable=False),
        sa.Column("chat_id", sa.String(128), nullable=False),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reply", sa.JSON(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_inbox"),
        sa.UniqueConstraint("platform", "event_id", name="uq_inbox_platform_event"),
    )
    op.create_index("ix_inbox_pending", "inbox", ["platform", "done_at", "id"])
    op.create_index("ix_inbox_sender_id", "inbox", ["sender_id"])


def downgrade() -> None:
    op.drop_index("ix_inbox_sender_id", table_name="inbox")
    op.drop_index("ix_inbox_pending", table_name="inbox")
    op.drop_table("inbox")
