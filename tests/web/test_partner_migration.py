"""The partner migration goes up, down and up again on SQLite and PostgreSQL, losing nothing."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from assessment.core.extensions import db
from tests.conftest import app_settings as settings_for

POSTGRES_URL = os.environ.get(
    "REKINDLE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _seed_at_0001() -> None:
    """A user with one answered assessment, written the way revision 0001 knew them."""
    db.session.execute(
        text(
            "INSERT INTO users (id, username, password_hash, created_at)"
            " VALUES (1, 'alex', 'x', CURRENT_TIMESTAMP)"
        )
    )
    db.session.execute(
        text(
            "INSERT INTO assessments (id, user_id, questionnaire_id, questionnaire_version,"
            " created_at, safety_flag, submission_token, overall, suggestions)"
            " VALUES (1, 1, 'checkup', 1, CURRENT_TIMESTAMP, false, 'tok', 50.0, '[]')"
        )
    )
    db.session.execute(
        text("INSERT INTO answers (assessment_id, item_id, value) VALUES (1, 'com_listen', 4)")
    )
    db.session.commit()


def _round_trip() -> None:
    """Upgrade, check, downgrade, check the old rows survived, upgrade again."""
    upgrade(revision="0001_initial")
    _seed_at_0001()
    upgrade()
    inspector = inspect(db.engine)
    assert {"partner_links", "partner_invites"} <= set(inspector.get_table_names())
    assert "shared" in {c["name"] for c in inspector.get_columns("assessments")}
    assert db.session.scalar(text("SELECT shared FROM assessments WHERE id = 1")) in (False, 0)
    db.session.remove()
    downgrade(revision="0001_initial")
    inspector = inspect(db.engine)
    assert not {"partner_links", "partner_invites"} & set(inspector.get_table_names())
    assert "shared" not in {c["name"] for c in inspector.get_columns("assessments")}
    assert db.session.scalar(text("SELECT count(*) FROM answers")) == 1
    db.session.remove()
    upgrade()
    assert "partner_invites" in set(inspect(db.engine).get_table_names())
    assert db.session.scalar(text("SELECT count(*) FROM answers")) == 1
    db.session.remove()


def test_partner_migration_round_trips_on_sqlite(tmp_path: Path) -> None:
    """Does 0002 upgrade, downgrade and upgrade again on SQLite without losing answers?"""
    app = create_app(settings_for(tmp_path, f"sqlite:///{tmp_path / 'trip.sqlite3'}"))
    with app.app_context():
        try:
            _round_trip()
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A uniquely named schema of the shared PostgreSQL, dropped afterwards."""
    try:
        admin = create_engine(POSTGRES_URL)
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # pragma: no cover - depends on the machine
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
    schema = f"partner_mig_{secrets.token_hex(6)}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_partner_migration_round_trips_on_postgresql(tmp_path: Path, postgres_schema) -> None:
    """Does 0002 upgrade, downgrade and upgrade again on PostgreSQL without losing answers?"""
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{postgres_schema}"
    app = create_app(settings_for(tmp_path, url))
    with app.app_context():
        try:
            assert db.session.scalar(text("SELECT current_schema()")) == postgres_schema
            db.session.remove()
            _round_trip()
        finally:
            db.session.remove()
            db.engine.dispose()
