"""Whose help lines a person sees: users.helpline_country (DESIGN.md §10).

Revision ID: 0007_helpline_country
Revises: 0003_plans
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_helpline_country"
down_revision = "0003_plans"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("helpline_country", sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("helpline_country")
