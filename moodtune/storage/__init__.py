"""Storage: SQLAlchemy 2 (async) with Alembic migrations, on SQLite or PostgreSQL.

`db` makes engines and sessions and migrates; `models` holds the tables; `persons`,
`tracks`, `recommendations`, `feedback` and `moods` are short async functions over an
`AsyncSession`. They flush but never commit: the caller owns the transaction.
"""
