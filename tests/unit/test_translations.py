"""Every language is whole: its interface catalog and its definitions' files
(issue 27, acceptance 1 and 2; docs/architecture.md#languages)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel.messages.checkers import python_format
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.i18n import LANGUAGES
from questionnaires.loader import (
    SOURCE_LANGUAGE,
    QuestionnaireError,
    load_catalog,
    load_catalogs,
    translate_catalog,
)
from questionnaires.translations import source_texts
from scoring import score_assessment

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = sorted(set(LANGUAGES) - {SOURCE_LANGUAGE})
CATALOGS = load_catalogs()


def _po(language: str):  # type: ignore[no-untyped-def]
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_interface_word_is_translated_and_none_is_fuzzy(language: str) -> None:
    catalog = _po(language)
    empty = [
        m.id
        for m in catalog
        if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert empty == [], f"{len(empty)} untranslated in {language}: {empty[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_keeps_its_placeholders(language: str) -> None:
    """A missing or renamed %(name)s would raise when the page is drawn."""
    catalog = _po(language)
    for message in catalog:
        if message.id and message.python_format:
            python_format(catalog, message)  # raises TranslationError on a mismatch


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalog_holds_exactly_the_words_of_the_code(language: str, tmp_path: Path) -> None:
    """The words collected from the code now are the ones in messages.pot and in each
    language's catalog: a word added to a page without `make extract-words` fails here."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-c",
            "NOTE:",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_ngettext:1,2",
            "--no-location",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with open(fresh, "rb") as file:
        wanted = {m.id for m in read_po(file) if m.id}
    assert {m.id for m in _po(language) if m.id} == wanted


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_language_has_every_definition_translated(language: str) -> None:
    """Start-up loads each offered language's questionnaires, strategies and help lines."""
    assert language in CATALOGS
    source, translated = CATALOGS[SOURCE_LANGUAGE], CATALOGS[language]
    assert set(translated.questionnaires) == set(source.questionnaires)
    changed = {
        key
        for key, words in source_texts(translated.strategies).items()
        if words != source_texts(source.strategies)[key]
    }
    assert len(changed) > 0.9 * len(source_texts(source.strategies)), "mostly still English"


def test_a_missing_or_unknown_key_stops_start_up_naming_file_and_key(tmp_path: Path) -> None:
    source = load_catalog()
    folder = tmp_path / "es"
    for path in (ROOT / "questionnaires" / "i18n" / "es").glob("*.yaml"):
        (folder / path.name).parent.mkdir(parents=True, exist_ok=True)
        (folder / path.name).write_bytes(path.read_bytes())
    texts = yaml.safe_load((folder / "pulse.v3.yaml").read_text())
    key = next(iter(texts))
    del texts[key]
    (folder / "pulse.v3.yaml").write_text(yaml.safe_dump(texts, allow_unicode=True))
    with pytest.raises(QuestionnaireError) as missing:
        translate_catalog(source, folder, "es")
    assert (missing.value.file, missing.value.path) == ("i18n/es/pulse.v3.yaml", key)
    texts[key] = "Algo"
    texts["items.no_such_item.text"] = "Nada"
    (folder / "pulse.v3.yaml").write_text(yaml.safe_dump(texts, allow_unicode=True))
    with pytest.raises(QuestionnaireError) as unknown:
        translate_catalog(source, folder, "es")
    assert unknown.value.path == "items.no_such_item.text"


def test_definitions_read_again_only_when_a_file_changed_came_or_went(tmp_path: Path) -> None:
    """Every app in one process shares the catalogs read once; an edited translation, a
    broken one and a new language folder are each read (and refused) afresh."""
    import shutil

    folder = tmp_path / "definitions"
    shutil.copytree(ROOT / "questionnaires", folder, ignore=shutil.ignore_patterns("*.py*"))
    first = load_catalogs(folder)
    assert load_catalogs(folder)["es"] is first["es"]
    strategies = folder / "i18n" / "es" / "strategies.yaml"
    texts = yaml.safe_load(strategies.read_text())
    key = next(key for key in texts if key.startswith("strategies.") and key.endswith(".title"))
    texts[key] = "Un título nuevo"
    strategies.write_text(yaml.safe_dump(texts, allow_unicode=True))
    edited = load_catalogs(folder)["es"]
    assert edited is not first["es"]
    assert "Un título nuevo" in [s.title for s in edited.strategies.strategies]
    strategies.write_text("- a list, not a mapping\n")
    with pytest.raises(QuestionnaireError, match=r"i18n/es/strategies\.yaml"):
        load_catalogs(folder)
    strategies.write_text(yaml.safe_dump(texts, allow_unicode=True))
    (folder / "i18n" / "it").mkdir()
    with pytest.raises(QuestionnaireError, match=r"i18n/it/"):
        load_catalogs(folder)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_same_answers_score_the_same_in_every_language(data: st.DataObject) -> None:
    """Scores, focus areas and suggestions read ids and numbers only, never words."""
    source = CATALOGS[SOURCE_LANGUAGE]
    key = data.draw(st.sampled_from(sorted(source.questionnaires)))
    questionnaire = source.questionnaires[key]
    answers = {
        item.id: data.draw(
            st.one_of(st.none(), st.integers(questionnaire.scale.min, questionnaire.scale.max))
            if item.may_be_left
            else st.integers(questionnaire.scale.min, questionnaire.scale.max)
        )
        for item in questionnaire.items
    }
    safety = {s.id: data.draw(st.sampled_from(["yes", "no", "skip"])) for s in questionnaire.safety}
    expected = score_assessment(questionnaire, source.strategies, answers, safety)
    for language, catalog in CATALOGS.items():
        scored = score_assessment(catalog.questionnaires[key], catalog.strategies, answers, safety)
        assert scored == expected, language
