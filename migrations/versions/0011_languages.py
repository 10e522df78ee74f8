"""Languages: the one a person chose, and the one each check-in was read in
(docs/architecture.md#languages).

Revision ID: 0011_languages
Revises: 0010_talks
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_languages"
down_revision = "0010_talks"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE, never batch mode: rebuilding "users" on SQLite with foreign keys on
    # would cascade-delete every assessment hanging off it. Every check-in stored before
    # Rekindle spoke another language was read in English.
    op.add_column("users", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column(
        "assessments",
        sa.Column("language", sa.String(length=8), nullable=False, server_default="en"),
    )


def downgrade():
    # SQLite 3.35+ drops a column in place; no batch rebuild (see upgrade).
    op.drop_column("assessments", "language")
    op.drop_column("users", "language")
