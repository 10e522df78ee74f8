"""Sessions name a person by a random session id; SQLite never reuses an id.

Every user gets a ``session_id`` (existing rows are filled with a fresh random one, so
every cookie issued before this migration is dead: everyone signs in once more). On
SQLite each table is rebuilt with AUTOINCREMENT, so a deleted row's id is never handed
out again; PostgreSQL sequences never reuse ids, so nothing changes there. An id used
and deleted before this migration may still come back once, on SQLite only.

Downgrade drops ``session_id`` and keeps AUTOINCREMENT, which the older code is fine with.

Revision ID: 0004_sessions
Revises: 0003_plans
Create Date: 2026-12-01
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0004_sessions"
down_revision = "0003_plans"
branch_labels = None
depends_on = None

# Parents before children, as the foreign keys run.
TABLES = (
    "users",
    "assessments",
    "answers",
    "safety_responses",
    "dimension_scores",
    "partner_links",
    "partner_invites",
    "plans",
    "plan_checkins",
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_id", sa.String(length=64), nullable=True))
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("session_id", sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(session_id=secrets.token_urlsafe(32))
        )
    sqlite = _sqlite()
    with op.batch_alter_table(
        "users",
        recreate="always" if sqlite else "auto",
        table_kwargs={"sqlite_autoincrement": True} if sqlite else {},
    ) as batch:
        batch.alter_column("session_id", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(op.f("uq_users_session_id"), ["session_id"])
    if sqlite:
        for table in TABLES[1:]:
            with op.batch_alter_table(
                table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
            ):
                pass


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("uq_users_session_id"), type_="unique")
        batch.drop_column("session_id")
