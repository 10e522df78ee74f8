"""Revision 0004 gives every existing user a random session id and, on SQLite, rebuilds the
tables with AUTOINCREMENT without losing a row (foreign keys and cascades included).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from assessment.core.extensions import db
from tests.db.test_migrations import _app, empty_database, upgraded_with_data


def _seed_at_0003() -> None:
    """Two people, one check-up with an answer, a link and a plan, as 0003 knew them."""
    statements = [
        "INSERT INTO users (id, username, password_hash, created_at)"
        " VALUES (1, 'alex', 'x', CURRENT_TIMESTAMP), (2, 'sam', 'x', CURRENT_TIMESTAMP)",
        "INSERT INTO assessments (id, user_id, questionnaire_id, questionnaire_version,"
        " created_at, safety_flag, submission_token, overall, suggestions, shared)"
        " VALUES (7, 2, 'checkup', 1, CURRENT_TIMESTAMP, false, 'tok', 50.0, '[]', true)",
        "INSERT INTO answers (assessment_id, item_id, value) VALUES (7, 'com_listen', 4)",
        "INSERT INTO partner_links (inviter_id, partner_id, created_at)"
        " VALUES (1, 2, CURRENT_TIMESTAMP)",
        "INSERT INTO plans (user_id, assessment_id, strategy_id, dimension, status, created_at)"
        " VALUES (2, 7, 'daily_checkin', 'communication', 'active', CURRENT_TIMESTAMP)",
    ]
    for statement in statements:
        db.session.execute(text(statement))
    db.session.commit()


def _count(table: str) -> int:
    return db.session.scalar(text(f"SELECT count(*) FROM {table}"))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_sessions_migration_keeps_every_row_and_fills_session_ids(kind, tmp_path) -> None:
    """Up from 0003 with data: every row is still there and each user has its own id."""
    with upgraded_with_data(kind, tmp_path, "0003_plans", _seed_at_0003, "0004_sessions"):
        for table in ("users", "assessments", "answers", "partner_links", "plans"):
            assert _count(table) == {"users": 2}.get(table, 1), table
        ids = db.session.execute(text("SELECT session_id FROM users")).scalars().all()
        assert len(set(ids)) == 2 and all(len(value) >= 40 for value in ids)
        if kind == "sqlite":
            tables = db.session.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            ).all()
            for name, sql in tables:
                if name in db.metadata.tables:
                    assert "AUTOINCREMENT" in sql, name
            assert db.session.scalar(text("PRAGMA foreign_keys")) == 1
        db.session.remove()
        downgrade(revision="0003_plans")
        assert _count("answers") == 1


def test_a_later_rebuild_of_a_sqlite_table_keeps_autoincrement(tmp_path) -> None:
    """A future migration that rebuilds a table (batch mode) cannot quietly drop AUTOINCREMENT."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    with empty_database("sqlite", tmp_path) as url:
        app = _app(url, tmp_path)
        with app.app_context():
            upgrade()
            with db.engine.begin() as connection:
                operations = Operations(MigrationContext.configure(connection))
                with operations.batch_alter_table("plans", recreate="always") as batch:
                    batch.add_column(sa.Column("note", sa.String(10), nullable=True))
                sql = connection.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = 'plans'")
                ).scalar()
            db.engine.dispose()
    assert "note" in sql
    assert "AUTOINCREMENT" in sql
