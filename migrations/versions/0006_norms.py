"""Norms measured on real answers: one row per stored version of a dimension's norms.

Revision ID: 0006_norms
Revises: 0005_row_rules
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_norms"
down_revision = "0005_row_rules"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "norms_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=40), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=32), nullable=False),
        sa.Column("sd", sa.Float(), nullable=False),
        sa.Column("reliability", sa.Float(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_norms_versions")),
    )
    op.create_index(
        "ix_norms_versions_lookup",
        "norms_versions",
        ["questionnaire_id", "questionnaire_version", "dimension"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_norms_versions_lookup", table_name="norms_versions")
    op.drop_table("norms_versions")
