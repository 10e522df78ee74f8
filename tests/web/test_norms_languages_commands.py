"""`flask norms` per questionnaire version and language (issue 27, acceptance 2;
docs/architecture.md#norms): each language is measured on its own answers, stored apart,
and carried in the files servers pool."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pingouin
import pytest
from flask import Flask
from sqlalchemy import select

from assessment.core.extensions import db
from assessment.core.server_tables import NormsVersion
from tests.conftest import dispose, sqlite_app
from tests.support.people import draw_answers, store_people
from tests.web.test_norms_commands import _keyed, json_report


@pytest.fixture
def other_app(tmp_path: Path, migrated_sqlite: Path) -> Iterator[Flask]:
    """A second server with its own database."""
    (tmp_path / "other").mkdir()
    application = sqlite_app(tmp_path / "other", migrated_sqlite)
    yield application
    dispose(application)


def _people(app: Flask, version: int, count: int, seed: int, prefix: str, language: str) -> list:
    """``count`` new people who each answered check-up ``version`` once, in ``language``."""
    with app.app_context():
        catalog = app.extensions["rekindle.catalog"]
        definition = catalog.get("checkup", version)
        answers = draw_answers(definition, count, seed)
        store_people(catalog, definition, answers, prefix, language=language)
    return answers


def _figures(report: dict, language: str, dimension: str, version: int = 1) -> dict:
    for questionnaire in report["questionnaires"]:
        key = (questionnaire["id"], questionnaire["version"], questionnaire["language"])
        if key == ("checkup", version, language):
            return next(d for d in questionnaire["dimensions"] if d["id"] == dimension)
    raise AssertionError(f"checkup v{version} {language} not in the report")


def _rows(app: Flask) -> list[NormsVersion]:
    with app.app_context():
        rows = db.session.scalars(select(NormsVersion)).all()
        db.session.expunge_all()
    return list(rows)


def test_report_measures_english_and_spanish_answers_apart(app, runner, catalog) -> None:
    """40 people in English and 35 in Spanish on the same version: two sets of figures,
    each pingouin's on that language's answers alone; every version listed in English."""
    english = _people(app, 1, 40, seed=21, prefix="en", language="en")
    spanish = _people(app, 1, 35, seed=22, prefix="es", language="es")
    report = json_report(runner)
    listed = {(q["id"], q["version"], q["language"]) for q in report["questionnaires"]}
    every_version_in_english = {(qid, version, "en") for qid, version in catalog.questionnaires}
    assert listed == every_version_in_english | {("checkup", 1, "es")}
    definition = catalog.get("checkup", 1)
    for language, answers in (("en", english), ("es", spanish)):
        figures = _figures(report, language, "communication")
        frame = _keyed(definition, answers, "communication")
        alpha, _interval = pingouin.cronbach_alpha(data=frame)
        assert figures["n"] == len(answers), language
        assert figures["alpha"] == pytest.approx(alpha, abs=1e-9), language
    assert _figures(report, "en", "communication")["alpha"] != pytest.approx(
        _figures(report, "es", "communication")["alpha"], abs=1e-6
    )
    table = runner.invoke(args=["norms", "report"]).output
    assert "Relationship check-up (checkup v1), answered in English (en)" in table
    assert "Relationship check-up (checkup v1), answered in Español (es)" in table


def test_update_stores_rows_per_language_and_can_keep_to_one(app, runner) -> None:
    """220 Spanish and 60 English people: Spanish norms are stored, named "es"; English is
    left with why; --language limits the run; a language not offered is refused."""
    _people(app, 1, 220, seed=23, prefix="es", language="es")
    _people(app, 1, 60, seed=24, prefix="en", language="en")
    only_english = runner.invoke(args=["norms", "update", "--language", "en"])
    assert only_english.exit_code == 0, only_english.output
    assert "left checkup v1 en communication: 60 people" in only_english.output
    assert " es " not in only_english.output
    assert _rows(app) == []

    refused = runner.invoke(args=["norms", "update", "--language", "xx"])
    assert refused.exit_code == 2
    assert "'xx' is not a language this server offers (en, de, es, fr)" in refused.output
    assert _rows(app) == []

    result = runner.invoke(args=["norms", "update", "--max-half-width", "0.2"])
    assert result.exit_code == 0, result.output
    assert "updated checkup v1 es communication" in result.output
    assert "left checkup v1 en communication: 60 people" in result.output
    rows = _rows(app)
    assert rows and {(r.language, r.n, r.questionnaire_version) for r in rows} == {("es", 220, 1)}


# --- export and import ---------------------------------------------------------------


def _import(runner, path: Path, *options: str):  # type: ignore[no-untyped-def]
    return runner.invoke(args=["norms", "import", str(path), *options])


def test_an_export_names_each_language_and_an_import_stores_it(
    app, runner, other_app, tmp_path
) -> None:
    """English and Spanish answers are exported apart; imported with --update, each
    language's pooled norms are stored under its own code, with its own n."""
    _people(app, 1, 40, seed=25, prefix="en", language="en")
    _people(app, 1, 50, seed=26, prefix="es", language="es")
    path = tmp_path / "two.json"
    assert runner.invoke(args=["norms", "export", str(path)]).exit_code == 0
    document = json.loads(path.read_text())
    assert document["format_version"] == 2
    assert [(q["id"], q["version"], q["language"]) for q in document["questionnaires"]] == [
        ("checkup", 1, "en"),
        ("checkup", 1, "es"),
    ]
    result = _import(
        other_app.test_cli_runner(), path, "--update", "--min-n", "30", "--max-half-width", "0.5"
    )
    assert result.exit_code == 0, result.output
    assert "updated checkup v1 es communication" in result.output
    rows = _rows(other_app)
    assert {(r.language, r.n, r.origin) for r in rows} == {
        ("en", 40, "pooled"),
        ("es", 50, "pooled"),
    }


def _file(tmp_path: Path, format_version: int, language: object = None) -> Path:
    """A one-area file of check-up v1's communication, 40 people, with ``language`` if given."""
    definition_items = ["com_listen", "com_express", "com_conflict", "com_avoid", "com_close"]
    entry: dict = {"id": "checkup", "version": 1}
    if language is not None:
        entry["language"] = language
    k = len(definition_items)
    entry["dimensions"] = [
        {
            "id": "communication",
            "items": definition_items,
            "n": 40,
            "means": [3.0] * k,
            "covariance": [[1.0 if i == j else 0.5 for j in range(k)] for i in range(k)],
        }
    ]
    path = tmp_path / "file.json"
    path.write_text(
        json.dumps(
            {
                "format": "rekindle-norms-aggregates",
                "format_version": format_version,
                "questionnaires": [entry],
            }
        )
    )
    return path


def test_an_older_file_without_a_language_is_english(app, runner, catalog, tmp_path) -> None:
    """A version 1 file (written before norms had languages) pools as English answers."""
    items = [i.id for i in catalog.get("checkup", 1).items_of("communication")]
    path = _file(tmp_path, 1)
    document = json.loads(path.read_text())
    document["questionnaires"][0]["dimensions"][0]["items"] = items
    path.write_text(json.dumps(document))
    result = _import(runner, path, "--update", "--min-n", "30", "--max-half-width", "0.5")
    assert result.exit_code == 0, result.output
    assert "updated checkup v1 en communication" in result.output
    assert {r.language for r in _rows(app)} == {"en"}


@pytest.mark.parametrize(
    "format_version, language, message",
    [
        (2, "xx", "answered in 'xx', not a language this server offers (en, de, es, fr)"),
        (2, 5, "questionnaires[0].language: must be a language code"),
        (2, "es; drop", "questionnaires[0].language: must be a language code"),
        (2, None, "questionnaires[0].language: must be a language code"),
        (3, "es", "format_version: must be one of 1, 2"),
    ],
)
def test_a_wrong_language_is_a_clear_error_and_nothing_is_stored(
    app, runner, tmp_path, format_version, language, message
) -> None:
    """A code this server does not offer, a code that is not one, or none in a version 2
    file: exit 1, the file and the place named, nothing stored."""
    path = _file(tmp_path, format_version, language)
    result = _import(runner, path, "--update", "--min-n", "30")
    assert result.exit_code == 1, result.output
    assert message in result.output and "file.json" in result.output
    assert "Traceback" not in result.output
    assert _rows(app) == []
