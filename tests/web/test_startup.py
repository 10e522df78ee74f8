"""Start-up: a broken definition stops the app with a message that says where."""

from __future__ import annotations

import shutil

import pytest
import yaml

from app import create_app
from questionnaires.loader import DEFINITIONS_DIR, QuestionnaireError


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
