"""Recovery codes and the calendar reminder's title (docs/architecture.md#accounts).

Revision ID: 0008_account_years
Revises: 0007_helpline_country
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_account_years"
down_revision = "0007_helpline_country"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE, never batch mode: rebuilding "users" on SQLite with foreign keys on
    # would cascade-delete every assessment hanging off it.
    op.add_column("users", sa.Column("reminder_title", sa.String(length=60), nullable=True))
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_recovery_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
        sa.UniqueConstraint("user_id", "code_hash", name="uq_recovery_codes_code"),
        sqlite_autoincrement=True,  # never hand out a used id again (docs/architecture.md#locks)
    )
    op.create_index(op.f("ix_recovery_codes_user_id"), "recovery_codes", ["user_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_recovery_codes_user_id"), table_name="recovery_codes")
    op.drop_table("recovery_codes")
    # SQLite 3.35+ drops a column in place; no batch rebuild of "users" (see upgrade).
    op.drop_column("users", "reminder_title")
