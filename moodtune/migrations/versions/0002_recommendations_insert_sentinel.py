"""recommendations.insert_sentinel: many offers stored in one statement, ids in order.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

SQLite cannot say which new row id belongs to which row of a multi-row INSERT, so to hand
each offer its id SQLAlchemy inserted offers one statement at a time. A nullable column
that it fills with each row's position lets it insert a whole batch at once and sort the
returned ids. Old rows keep NULL there; nothing reads it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("recommendations", sa.Column("insert_sentinel", sa.Integer(), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+), not a batch copy of the table: copying would drop
    # the old table, and with foreign keys on that deletes every thumb given on an offer.
    op.drop_column("recommendations", "insert_sentinel")
