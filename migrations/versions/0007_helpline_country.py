"""Whose help lines a person sees: users.helpline_country (docs/architecture.md#help-lines).

Revision ID: 0007_helpline_country
Revises: 0006_norms
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_helpline_country"
down_revision = "0006_norms"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE, never batch mode (as in 0002): rebuilding "users" on SQLite with
    # foreign keys on would cascade-delete every assessment, answer and score of every user.
    op.add_column("users", sa.Column("helpline_country", sa.String(length=5), nullable=True))


def downgrade():
    op.drop_column("users", "helpline_country")  # SQLite 3.35+ drops a column in place
