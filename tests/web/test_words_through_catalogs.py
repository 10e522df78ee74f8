"""The interface's words come through Flask-Babel catalogs, read in each request's language
(issue 27, acceptance 1; docs/architecture.md#languages).

A small German catalog is compiled into the test's own folder, so these tests need no
translations from the repository: they show that a word marked for translation is looked
up per request, not frozen in whichever language asked first.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask

from questionnaires.models import Questionnaire
from tests.conftest import Person, dispose, levels, sqlite_app

ROOT = Path(__file__).resolve().parents[2]
GERMAN = {
    "Error:": "Fehler:",
    "User name": "Benutzername",
    "Please choose a user name.": "Bitte wähle einen Benutzernamen.",
    "strength": "Stärke",
    "steady": "stabil",
    "room to grow": "Raum zum Wachsen",
}


def _compiled(folder: Path, language: str, words: dict[str, str]) -> Path:
    """A catalog of ``words`` for ``language``, compiled as ``pybabel compile`` would."""
    catalog = Catalog(locale=language)
    for msgid, msgstr in words.items():
        catalog.add(msgid, msgstr)
    messages = folder / language / "LC_MESSAGES"
    messages.mkdir(parents=True)
    with open(messages / "messages.mo", "wb") as compiled:
        write_mo(compiled, catalog)
    return folder


@pytest.fixture
def german_app(tmp_path: Path, migrated_sqlite: Path) -> Iterator[Flask]:
    """The app with a German catalog of a few words."""
    catalogs = _compiled(tmp_path / "translations", "de", GERMAN)
    app = sqlite_app(tmp_path, migrated_sqlite, {"BABEL_TRANSLATION_DIRECTORIES": str(catalogs)})
    yield app
    dispose(app)


def _reader(app: Flask, language: str) -> Person:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return Person(client)


def test_a_form_and_its_errors_read_in_each_readers_language(german_app: Flask) -> None:
    """German, then English, then German again: labels and errors follow each reader."""
    for language, label, error, prefix in (
        ("de", "Benutzername", "Bitte wähle einen Benutzernamen.", "Fehler:"),
        ("en", "User name", "Please choose a user name.", "Error:"),
        ("de", "Benutzername", "Bitte wähle einen Benutzernamen.", "Fehler:"),
    ):
        response = _reader(german_app, language).register(username="")
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert f'<label for="username">{label}</label>' in page, language
        assert f'<span class="error-label">{prefix}</span> {error}' in page, language


def test_the_csv_download_names_bands_in_the_readers_language(
    german_app: Flask, checkup: Questionnaire
) -> None:
    """Machine columns stay as they are; the band beside each score is the catalog's word."""
    reader = _reader(german_app, "de")
    assert reader.register().status_code == 303
    reader.take(checkup, levels(communication=5, romance=1))
    rows = list(csv.reader(io.StringIO(reader.client.get("/export.csv").get_data(as_text=True))))
    assert rows[0][:5] == ["assessment_id", "questionnaire", "version", "created_at", "kind"]
    bands = {row[-1] for row in rows[1:] if row[4] == "score"}
    assert bands and bands <= {"Stärke", "stabil", "Raum zum Wachsen"}, bands


def test_a_german_list_of_areas_keeps_capitals_and_says_und(german_app: Flask) -> None:
    """The start page's list of areas is joined the way German lists are, nouns capitalised."""
    page = _reader(german_app, "de").client.get("/").get_data(as_text=True)
    card = re.search(r"<h2>[^<]*</h2>\s*<p>([^<]*?)\.\s", page)
    assert card, page
    areas = re.split(r", | und ", card.group(1))
    assert " und " in card.group(1) and ", and " not in card.group(1)
    assert len(areas) >= 5 and all(area[0].isupper() for area in areas), areas


def test_every_sentence_the_script_says_comes_from_the_page(german_app: Flask) -> None:
    """static/js/rekindle.js holds no words: each key it asks for is on every page, filled."""
    script = (ROOT / "static" / "js" / "rekindle.js").read_text()
    asked = set(re.findall(r'say\("(\w+)"', script)) | set(
        re.findall(r'say\(\w+ \? "(\w+)" : "(\w+)"\)', script)[0]
    )
    assert {"back", "next", "progress", "codes_heading"} <= asked
    for path in ("/", "/login", "/safety/help"):
        page = _reader(german_app, "en").client.get(path).get_data(as_text=True)
        block = re.search(
            r'<script type="application/json" id="rekindle-words">(.*?)</script>', page, re.S
        )
        assert block, path
        words = json.loads(block.group(1))
        assert asked <= set(words) and all(words[key].strip() for key in asked), path
    assert words["next"] == "Next: %(part)s" and words["progress"] == "%(answered)s of %(total)s"
