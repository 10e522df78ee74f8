"""Norms per language: each stored norms version names the language its people answered in
(docs/architecture.md#norms).

Revision ID: 0012_norms_languages
Revises: 0011_languages
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_norms_languages"
down_revision = "0011_languages"
branch_labels = None
depends_on = None


def upgrade():
    # Every norms version stored before Rekindle spoke another language was measured on
    # check-ins read in English. Plain ALTER TABLE, as 0011: no batch rebuild.
    op.add_column(
        "norms_versions",
        sa.Column("language", sa.String(length=8), nullable=False, server_default="en"),
    )


def downgrade():
    # Without the column every row would read as English: a language's own norms would judge
    # English check-ins. Only the English rows may stay.
    op.execute("DELETE FROM norms_versions WHERE language <> 'en'")
    op.drop_column("norms_versions", "language")
