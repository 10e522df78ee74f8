"""Partner links, partner invites and Assessment.shared (docs/architecture.md#partner).

Revision ID: 0002_partners
Revises: 0001_initial
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_partners"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE, never batch mode: rebuilding "assessments" on SQLite with foreign
    # keys on would cascade-delete every answer and score hanging off it.
    op.add_column(
        "assessments",
        sa.Column("shared", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "partner_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inviter_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inviter_id"],
            ["users.id"],
            name=op.f("fk_partner_links_inviter_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["users.id"],
            name=op.f("fk_partner_links_partner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_links")),
        sa.UniqueConstraint("inviter_id", name=op.f("uq_partner_links_inviter_id")),
        sa.UniqueConstraint("partner_id", name=op.f("uq_partner_links_partner_id")),
    )
    op.create_table(
        "partner_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inviter_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("replaced_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["inviter_id"],
            ["users.id"],
            name=op.f("fk_partner_invites_inviter_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_partner_invites_token_hash")),
    )
    op.create_index(
        op.f("ix_partner_invites_inviter_id"), "partner_invites", ["inviter_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_partner_invites_inviter_id"), table_name="partner_invites")
    op.drop_table("partner_invites")
    op.drop_table("partner_links")
    op.drop_column("assessments", "shared")  # SQLite 3.35+ drops a column in place
