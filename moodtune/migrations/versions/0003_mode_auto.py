"""persons.mode and recommendations.mode accept 'auto'; new people start in it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

`/mode auto` answers each feeling with the response that suits its group (see
moodtune/recommender/modes.py) and is the default for people met from now on; people
already stored keep the mode they have. Going back down, 'auto' becomes 'match' (the
old default) in both tables.

PostgreSQL swaps the CHECK constraints and the column default. SQLite cannot alter a
constraint, and the usual way round (copy the table, drop the old one) would, with
foreign keys on, delete every mood, offer and thumb of every person along with the old
persons table (ON DELETE CASCADE). A CHECK that accepts one more value and a new default
change nothing stored, so the table definitions are edited in place instead, as SQLite
documents for exactly such changes (https://www.sqlite.org/lang_altertable.html, "making
other kinds of table schema changes": writable_schema, then a new schema_version).
"""

import re
from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_MODES = "mode IN ('match', 'lift')"
NEW_MODES = "mode IN ('match', 'lift', 'auto')"
# The constraints as 0001 named them (the naming convention applied to "ck_<table>_mode").
CHECKS = {
    "persons": "ck_persons_ck_persons_mode",
    "recommendations": "ck_recommendations_ck_recommendations_mode",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _edit_sqlite_table("persons", OLD_MODES, NEW_MODES, default=("match", "auto"))
        _edit_sqlite_table("recommendations", OLD_MODES, NEW_MODES)
        return
    for table, name in CHECKS.items():
        op.drop_constraint(op.f(name), table, type_="check")
        op.create_check_constraint(op.f(name), table, NEW_MODES)
    op.alter_column("persons", "mode", server_default="auto")


def downgrade() -> None:
    for table in CHECKS:
        op.execute(f"UPDATE {table} SET mode = 'match' WHERE mode = 'auto'")
    if op.get_bind().dialect.name == "sqlite":
        _edit_sqlite_table("persons", NEW_MODES, OLD_MODES, default=("auto", "match"))
        _edit_sqlite_table("recommendations", NEW_MODES, OLD_MODES)
        return
    for table, name in CHECKS.items():
        op.drop_constraint(op.f(name), table, type_="check")
        op.create_check_constraint(op.f(name), table, OLD_MODES)
    op.alter_column("persons", "mode", server_default="match")


def _edit_sqlite_table(
    table: str, check: str, new_check: str, default: tuple[str, str] | None = None
) -> None:
    """Rewrite one table's CREATE statement in sqlite_master: the CHECK on mode (and the
    mode column's default), each found exactly once or nothing is changed."""
    bind = op.get_bind()
    query = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?"
    sql = bind.exec_driver_sql(query, (table,)).scalar_one()
    edits = [(re.escape(f"CHECK ({check})"), f"CHECK ({new_check})")]
    if default is not None:
        old, new = default
        edits.append((rf"(\bmode VARCHAR\(8\) DEFAULT )'{old}'", rf"\1'{new}'"))
    for pattern, replacement in edits:
        sql, found = re.subn(pattern, replacement, sql)
        if found != 1:
            raise RuntimeError(
                f"the {table} table is not as migration 0002 left it ({pattern!r} found "
                f"{found} times); nothing was changed"
            )
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        update = "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?"
        bind.exec_driver_sql(update, (sql, table))
        bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
