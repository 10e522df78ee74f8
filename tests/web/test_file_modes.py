"""Files that hold answers are the owner's alone (docs/architecture.md#privacy): instance/ 0700, the
SQLite database with its -wal and -shm files 0600, whatever the umask.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade

from app import create_app
from tests.conftest import Person, app_settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, under which files are world-readable unless the app says otherwise."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_fresh_instance_and_database_are_private(tmp_path, umask_022) -> None:
    """A first start creates instance/ 0700 and the database, -wal and -shm 0600."""
    instance = tmp_path / "fresh" / "instance"
    database = instance / "rekindle.sqlite3"
    settings = app_settings(instance, f"sqlite:///{database}")
    app = create_app(settings)
    with app.app_context():
        upgrade()
    person = Person(app.test_client())
    assert person.register("robin").status_code == 303
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
        with engine.connect() as connection:  # held open, so -wal and -shm exist now
            connection.exec_driver_sql("SELECT count(*) FROM users").scalar()
            files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
            assert all(path.exists() for path in files)
            assert mode(instance) == 0o700
            for path in files:
                assert mode(path) == 0o600, path.name
        engine.dispose()


def test_files_left_readable_by_an_older_version_are_made_private(tmp_path, umask_022) -> None:
    """An existing world-readable instance/ and database are tightened at start-up."""
    instance = tmp_path / "old"
    instance.mkdir(mode=0o755)
    database = instance / "rekindle.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").write_bytes(b"")
        Path(f"{database}{suffix}").chmod(0o644)
    secret = instance / "secret_key"
    settings = app_settings(instance, f"sqlite:///{database}")
    del settings["SECRET_KEY"]
    create_app(settings)
    assert mode(instance) == 0o700
    for suffix in ("", "-wal", "-shm"):
        assert mode(Path(f"{database}{suffix}")) == 0o600, suffix
    assert mode(secret) == 0o600


def test_a_relative_sqlite_path_is_made_private_under_instance(tmp_path, umask_022) -> None:
    """A relative SQLite path lives under instance/ (Flask-SQLAlchemy's rule) and is 0600."""
    instance = tmp_path / "relative"
    create_app(app_settings(instance, "sqlite:///relative.sqlite3"))
    assert mode(instance / "relative.sqlite3") == 0o600
