"""Scoring's verdicts reach a page in the reader's language, through one mapping at the web
layer (docs/architecture.md#languages): scoring itself only ever says English codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask

import scoring
from assessment.norms import band_words, change_words
from scoring import BAND_LABELS, BANDS
from tests.conftest import sqlite_app

# Every verdict scoring can put on a page, with the English a person reads today.
VERDICTS = {
    code: code
    for code in (
        scoring.RELIABLE_IMPROVEMENT,
        scoring.RELIABLE_DECLINE,
        scoring.WITHIN_NORMAL,
        scoring.QUESTIONS_CHANGED,
        scoring.AREAS_DIFFER,
        scoring.SEE_DIFFERENTLY,
        scoring.SEE_SAME,
    )
}
UNSCORED = "needs more answers"
PSEUDO = "eo"  # a language no catalog of ours holds: what shows came from the test's catalog


def _marked(english: str) -> str:
    return f"[[{english}]]"


@pytest.fixture
def pseudo_app(tmp_path: Path, migrated_sqlite: Path) -> Flask:
    """An app whose only catalog translates each verdict and band to a marked copy of itself."""
    catalog = Catalog(locale=PSEUDO)
    for english in [*VERDICTS.values(), *BAND_LABELS.values(), UNSCORED]:
        catalog.add(english, _marked(english))
    folder = tmp_path / "translations" / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as mo:
        write_mo(mo, catalog)
    return sqlite_app(
        tmp_path,
        migrated_sqlite,
        {
            "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path / "translations"),
            "LANGUAGES": {"en": "English", PSEUDO: "Pseudo"},
        },
    )


def test_every_verdict_and_band_comes_through_the_catalog(pseudo_app: Flask) -> None:
    """In another language each verdict and band reads as that language's words."""
    with pseudo_app.test_request_context(headers={"Cookie": f"lang={PSEUDO}"}):
        for code, english in VERDICTS.items():
            assert change_words(code) == _marked(english)
        for key, score in zip(BANDS, (90.0, 60.0, 10.0), strict=True):
            assert band_words(score) == _marked(BAND_LABELS[key])
        assert band_words(None) == _marked(UNSCORED)
        assert change_words(None) == ""


def test_english_words_are_unchanged(pseudo_app: Flask) -> None:
    """Without a language chosen, the words are the English ones pages have always shown."""
    with pseudo_app.test_request_context():
        for code, english in VERDICTS.items():
            assert change_words(code) == english
        assert [band_words(s) for s in (90.0, 60.0, 10.0, None)] == [
            *(BAND_LABELS[key] for key in BANDS),
            UNSCORED,
        ]


def test_measures_page_names_the_bands_in_the_readers_language(pseudo_app: Flask) -> None:
    """About the measures lists each band by the words the tables use, in the reader's language."""
    client = pseudo_app.test_client()
    client.set_cookie("lang", PSEUDO)
    page = client.get("/about/measures").get_data(as_text=True)
    for key in BANDS:
        assert f'<span class="band band-{key}">{_marked(BAND_LABELS[key])}</span>' in page
