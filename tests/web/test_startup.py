"""Start-up and health: a broken definition stops the app, an absent database is a 503."""

from __future__ import annotations

import shutil

import pytest
import yaml

from app import create_app
from assessment.core.database import SQLITE_BUSY_TIMEOUT_MS
from questionnaires.loader import DEFINITIONS_DIR, QuestionnaireError
from tests.conftest import app_settings
from tests.support.server import free_port


def test_broken_definition_stops_start_up_naming_file_and_path(tmp_path) -> None:
    """Does create_app refuse to start on a bad item, naming the file and the path in it?"""
    definitions = tmp_path / "definitions"
    shutil.copytree(
        DEFINITIONS_DIR, definitions, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    checkup_file = definitions / "checkup.v1.yaml"
    data = yaml.safe_load(checkup_file.read_text())
    data["items"][1]["dimension"] = "finances"
    checkup_file.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(QuestionnaireError) as raised:
        create_app(
            {
                "INSTANCE_PATH": str(tmp_path),
                "QUESTIONNAIRE_DIR": str(definitions),
                "SECRET_KEY": "x",
            }
        )
    assert "checkup.v1.yaml" in str(raised.value)
    assert "items[1].dimension" in str(raised.value)


def test_secret_key_is_generated_once_with_private_permissions(tmp_path, monkeypatch) -> None:
    """Without SECRET_KEY, is one generated into instance/ (mode 0600) and reused?"""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    second = create_app({"INSTANCE_PATH": str(tmp_path)})
    key_file = tmp_path / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert len(first.config["SECRET_KEY"]) >= 32


def test_sqlite_connections_use_wal_and_enforce_foreign_keys(tmp_path) -> None:
    """Does the factory bind the SQLite pragmas, so concurrent writers wait and keys hold?"""
    from sqlalchemy import text

    from assessment.core.extensions import db

    app = create_app(app_settings(tmp_path, f"sqlite:///{tmp_path / 'pragmas.sqlite3'}"))
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("where", ["sqlite-folder-gone", "postgresql-port-closed"])
def test_healthz_answers_503_when_the_database_cannot_be_reached(tmp_path, where) -> None:
    """Does /healthz tell a load balancer 503 (not 500, not 200) when the database is away?"""
    if where == "sqlite-folder-gone":
        folder = tmp_path / "data"
        folder.mkdir()
        url = f"sqlite:///{folder / 'rekindle.sqlite3'}"
        folder.rmdir()  # SQLite cannot create a file in a folder that is not there
    else:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test"  # nobody listens
    app = create_app(app_settings(tmp_path, url))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "db": "unreachable", "limits": "ok"}
