"""Alembic: up from empty, down, up again, on both databases; models and migrations agree."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from assessment.core.extensions import db
from tests.conftest import empty_database


def _app(url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    return create_app(
        {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"}
    )


@contextmanager
def upgraded(kind: str, folder: Path, revision: str = "head") -> Iterator[None]:
    """In an app context: an empty database of this kind taken up to ``revision``; its
    connections closed afterwards."""
    with empty_database(kind, folder) as url:
        app = _app(url, folder)
        with app.app_context():
            upgrade(revision=revision)
            yield
            db.session.remove()
            db.engine.dispose()


@contextmanager
def upgraded_with_data(
    kind: str, folder: Path, seed_at: str, seed: Callable[[], None], up_to: str
) -> Iterator[None]:
    """In an app context: an empty database of this kind taken up to ``seed_at``, given
    data by ``seed``, then up to ``up_to`` (the migration under test); closed afterwards."""
    with upgraded(kind, folder, seed_at):
        seed()
        upgrade(revision=up_to)
        yield


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_upgrade_downgrade_upgrade(kind, tmp_path) -> None:
    """Does every migration go up from empty, all the way down, and up again?"""
    with upgraded(kind, tmp_path):
        created = _tables()
        assert {"users", "assessments", "answers", "safety_responses", "dimension_scores"} <= (
            created
        )
        downgrade(revision="base")
        assert _tables() == set()
        upgrade()
        assert _tables() == created


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_models_and_migrations_agree(kind, tmp_path) -> None:
    """After `flask db upgrade`, would autogenerate find anything left to migrate?"""
    with upgraded(kind, tmp_path), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "target_metadata": db.metadata}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []
