"""Talk it through: talks between two linked people, and the proposals they leave.

Only the facts of a talk are kept (who, when, which area, the step reached, the strategy
chosen), never a word either person says or types. A person's side of a talk is set to
NULL when their account is deleted; their proposals go with it.

Revision ID: 0010_talks
Revises: 0009_flag_lasts
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_talks"
down_revision = "0009_flag_lasts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "talks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("dimension", sa.String(length=32), nullable=True),
        sa.Column("strategy", sa.String(length=40), nullable=True),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("step BETWEEN 1 AND 6", name=op.f("ck_talks_step_in_range")),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["users.id"],
            name=op.f("fk_talks_partner_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"],
            ["users.id"],
            name=op.f("fk_talks_started_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talks")),
        sqlite_autoincrement=True,  # never hand out a used id again
    )
    op.create_index(op.f("ix_talks_partner_id"), "talks", ["partner_id"], unique=False)
    op.create_index(op.f("ix_talks_started_by_id"), "talks", ["started_by_id"], unique=False)
    op.create_table(
        "talk_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("talk_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("strategy", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined')",
            name=op.f("ck_talk_proposals_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["talk_id"],
            ["talks.id"],
            name=op.f("fk_talk_proposals_talk_id_talks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_talk_proposals_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talk_proposals")),
        sa.UniqueConstraint("talk_id", "user_id", name="uq_talk_proposals_person"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_talk_proposals_talk_id"), "talk_proposals", ["talk_id"], unique=False
    )
    op.create_index(
        op.f("ix_talk_proposals_user_id"), "talk_proposals", ["user_id"], unique=False
    )


def downgrade():
    op.drop_table("talk_proposals")
    op.drop_table("talks")
