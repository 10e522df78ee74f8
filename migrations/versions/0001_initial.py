"""Users, assessments, answers, safety responses and dimension scores.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=40), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("safety_flag", sa.Boolean(), nullable=False),
        sa.Column("submission_token", sa.String(length=64), nullable=False),
        sa.Column("overall", sa.Float(), nullable=True),
        sa.Column("suggestions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_assessments_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("user_id", "submission_token", name="uq_assessments_user_token"),
    )
    op.create_index(
        "ix_assessments_user_created", "assessments", ["user_id", "created_at"], unique=False
    )
    for table, column, length, constraint in (
        ("answers", sa.Column("value", sa.Integer(), nullable=True), None, "uq_answers_item"),
        (
            "safety_responses",
            sa.Column("response", sa.String(length=4), nullable=False),
            None,
            "uq_safety_item",
        ),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("assessment_id", sa.Integer(), nullable=False),
            sa.Column("item_id", sa.String(length=40), nullable=False),
            column,
            sa.ForeignKeyConstraint(
                ["assessment_id"],
                ["assessments.id"],
                name=op.f(f"fk_{table}_assessment_id_assessments"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint("assessment_id", "item_id", name=constraint),
        )
        op.create_index(op.f(f"ix_{table}_assessment_id"), table, ["assessment_id"], unique=False)
    op.create_table(
        "dimension_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_dimension_scores_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dimension_scores")),
        sa.UniqueConstraint("assessment_id", "dimension", name="uq_scores_dimension"),
    )
    op.create_index(
        op.f("ix_dimension_scores_assessment_id"),
        "dimension_scores",
        ["assessment_id"],
        unique=False,
    )


def downgrade():
    op.drop_table("dimension_scores")
    op.drop_table("safety_responses")
    op.drop_table("answers")
    op.drop_index("ix_assessments_user_created", table_name="assessments")
    op.drop_table("assessments")
    op.drop_table("users")
