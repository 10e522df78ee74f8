"""Rules that span rows held by the database: one link per person, one active plan per
strategy; and the table /healthz writes to (and rolls back) to know writes work.

Rows made by races before this revision are put right first: of two links sharing a
person the older stays and the newer ends (un-sharing both of its people); a check-up
shared by someone in no link is un-shared; of two active plans for one strategy, or
more than three active plans, the newer are let go.

Revision ID: 0005_row_rules
Revises: 0004_sessions
Create Date: 2026-12-01
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005_row_rules"
down_revision = "0004_sessions"
branch_labels = None
depends_on = None

MAX_ACTIVE_PLANS = 3

links = sa.table(
    "partner_links",
    sa.column("id", sa.Integer),
    sa.column("inviter_id", sa.Integer),
    sa.column("partner_id", sa.Integer),
)
memberships = sa.table(
    "partner_memberships", sa.column("user_id", sa.Integer), sa.column("link_id", sa.Integer)
)
assessments = sa.table(
    "assessments", sa.column("user_id", sa.Integer), sa.column("shared", sa.Boolean)
)
plans = sa.table(
    "plans",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("strategy_id", sa.String),
    sa.column("status", sa.String),
    sa.column("closed_at", sa.DateTime),
)


def upgrade():
    op.create_table(
        "health_probe",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("probed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_probe")),
    )
    op.create_table(
        "partner_memberships",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["partner_links.id"],
            name=op.f("fk_partner_memberships_link_id_partner_links"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_partner_memberships_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_partner_memberships")),
    )
    op.create_index(
        op.f("ix_partner_memberships_link_id"), "partner_memberships", ["link_id"], unique=False
    )
    connection = op.get_bind()
    _one_link_per_person(connection)
    _nothing_shared_without_a_link(connection)
    _one_active_plan_per_strategy(connection)
    op.create_index(
        "uq_plans_active_strategy",
        "plans",
        ["user_id", "strategy_id"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )


def _one_link_per_person(connection) -> None:
    seen: set[int] = set()
    rows = connection.execute(
        sa.select(links.c.id, links.c.inviter_id, links.c.partner_id).order_by(links.c.id)
    ).all()
    for link_id, inviter_id, partner_id in rows:
        people = [inviter_id, partner_id]
        if seen & set(people) or inviter_id == partner_id:
            connection.execute(
                sa.update(assessments).where(assessments.c.user_id.in_(people)).values(shared=False)
            )
            connection.execute(sa.delete(links).where(links.c.id == link_id))
            continue
        seen.update(people)
        connection.execute(
            sa.insert(memberships),
            [{"user_id": person, "link_id": link_id} for person in people],
        )


def _nothing_shared_without_a_link(connection) -> None:
    # What a share racing an unlink left behind: shared, with no one to see it (yet).
    connection.execute(
        sa.update(assessments)
        .where(assessments.c.shared.is_(True))
        .where(assessments.c.user_id.not_in(sa.select(memberships.c.user_id)))
        .values(shared=False)
    )


def _one_active_plan_per_strategy(connection) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = connection.execute(
        sa.select(plans.c.id, plans.c.user_id, plans.c.strategy_id)
        .where(plans.c.status == "active")
        .order_by(plans.c.user_id, plans.c.id)
    ).all()
    kept: dict[int, set[str]] = {}
    for plan_id, user_id, strategy_id in rows:
        strategies = kept.setdefault(user_id, set())
        if strategy_id in strategies or len(strategies) >= MAX_ACTIVE_PLANS:
            connection.execute(
                sa.update(plans)
                .where(plans.c.id == plan_id)
                .values(status="dropped", closed_at=now)
            )
            continue
        strategies.add(strategy_id)


def downgrade():
    op.drop_index("uq_plans_active_strategy", table_name="plans")
    op.drop_index(op.f("ix_partner_memberships_link_id"), table_name="partner_memberships")
    op.drop_table("partner_memberships")
    op.drop_table("health_probe")
