"""chats: where people talk to the bot (private or group), and whether it can write there.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

Moods and offers already carry their chat's platform id; this table says what that chat
is (private or group, its title) and whether the platform still delivers there, for
messages the bot starts itself (check-ins) and for groups.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("platform_chat_id", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("title", sa.String(200), nullable=False, server_default=""),
        sa.Column("unreachable_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_chats"),
        sa.CheckConstraint("kind IN ('private', 'group')", name="ck_chats_kind"),
        sa.UniqueConstraint("platform", "platform_chat_id", name="uq_chats_platform_chat"),
    )


def downgrade() -> None:
    op.drop_table("chats")
