"""The flag lasts: kept on the person, results scored while flagged, device cookies.

- users.flagged_until and users.sexual_violence_until: 90 days after the person's latest
  flagged assessment (and latest "yes" to a safety item about sexual violence), set here
  from the assessments already stored, so that deleting one never lifts the flag early.
- assessments.safe_suggestions: what a result offers while the person is flagged.
- users.recovery_codes_due: the one-time permission to mint the first recovery codes.
- trusted_devices: browsers that signed in before (OWASP's device cookies).

Revision ID: 0009_flag_lasts
Revises: 0008_account_years
Create Date: 2026-12-07
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "0009_flag_lasts"
down_revision = "0008_account_years"
branch_labels = None
depends_on = None

FLAG_LASTS = timedelta(days=90)
# The safety items about sexual violence in the questionnaire versions that exist today
# (checkup v1 and v2 share the id); later versions mark theirs in their YAML.
SEXUAL_VIOLENCE_ITEMS = ("safe_forced",)


def upgrade():
    # Plain ALTER TABLE, never batch mode (as in 0007): rebuilding "users" on SQLite with
    # foreign keys on would cascade-delete every assessment of every user.
    op.add_column("users", sa.Column("flagged_until", sa.DateTime(), nullable=True))
    op.add_column("users", sa.Column("sexual_violence_until", sa.DateTime(), nullable=True))
    op.add_column("users", sa.Column("recovery_codes_due", sa.String(length=64), nullable=True))
    op.add_column("assessments", sa.Column("safe_suggestions", sa.JSON(), nullable=True))
    op.create_table(
        "trusted_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_trusted_devices_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trusted_devices")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_trusted_devices_token_hash")),
        sqlite_autoincrement=True,  # never hand out a used id again
    )
    op.create_index(
        op.f("ix_trusted_devices_user_id"), "trusted_devices", ["user_id"], unique=False
    )
    _flags_from_stored_assessments()


def _flags_from_stored_assessments():
    """Each person's flag periods, from the assessments already stored."""
    connection = op.get_bind()
    assessments = sa.table(
        "assessments",
        sa.column("id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("created_at", sa.DateTime),
        sa.column("safety_flag", sa.Boolean),
    )
    responses = sa.table(
        "safety_responses",
        sa.column("assessment_id", sa.Integer),
        sa.column("item_id", sa.String),
        sa.column("response", sa.String),
    )
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("flagged_until", sa.DateTime),
        sa.column("sexual_violence_until", sa.DateTime),
    )
    sexual_violence = {
        row.assessment_id
        for row in connection.execute(
            sa.select(responses.c.assessment_id).where(
                responses.c.item_id.in_(SEXUAL_VIOLENCE_ITEMS), responses.c.response == "yes"
            )
        )
    }
    rows = connection.execute(
        sa.select(
            assessments.c.id,
            assessments.c.user_id,
            assessments.c.created_at,
            assessments.c.safety_flag,
        ).order_by(assessments.c.user_id, assessments.c.created_at, assessments.c.id)
    ).all()
    flagged_until: dict[int, object] = {}
    violence_until: dict[int, object] = {}
    for row in rows:  # oldest first, so the last one seen is the latest
        if row.safety_flag:
            flagged_until[row.user_id] = row.created_at + FLAG_LASTS
        if row.id in sexual_violence:
            violence_until[row.user_id] = row.created_at + FLAG_LASTS
    for user_id, until in flagged_until.items():
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(flagged_until=until, sexual_violence_until=violence_until.get(user_id))
        )


def downgrade():
    op.drop_index(op.f("ix_trusted_devices_user_id"), table_name="trusted_devices")
    op.drop_table("trusted_devices")
    # SQLite 3.35+ drops a column in place; no batch rebuild (see upgrade).
    op.drop_column("assessments", "safe_suggestions")
    op.drop_column("users", "recovery_codes_due")
    op.drop_column("users", "sexual_violence_until")
    op.drop_column("users", "flagged_until")
