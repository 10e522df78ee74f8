"""Pages judge change with the norms of the language the newer check-in was read in, and
say so (issue 27, acceptance 2; docs/architecture.md#norms). A language without measured
norms of its own is judged with the provisional ones, never with another language's."""

from __future__ import annotations

import re

from flask import Flask

from assessment.norms.store import store_norms
from scoring import RELIABLE_IMPROVEMENT, SEE_DIFFERENTLY, SEE_SAME, WITHIN_NORMAL
from tests.conftest import Person
from tests.support.people import draw_answers, store_people
from tests.web.test_norms_pages import STORED_ON, WIDE, _label, _measures_row, _notes
from tests.web.test_partner import levels, link, new_person, share

IN_SPANISH = "from 250 people on this server who answered in Español, 30 November 2026"
PROVISIONAL_NOTE = "Norms: provisional. About these measures."


def _store_in(app: Flask, language: str, row: tuple[str, float, float, int] = WIDE) -> None:
    """Measured norms of the latest check-up for one language, stored as `norms update` does."""
    with app.app_context():
        catalog = app.extensions["rekindle.catalog"]
        store_norms(catalog.latest("checkup"), [row], now=STORED_ON, language=language)


def _speaks(person: Person, language: str) -> Person:
    """The footer's choice, as its cookie: the next check-ins are read in ``language``."""
    person.client.set_cookie("lang", language)
    return person


def _take_in(person: Person, checkup, language: str, communication: int) -> int:  # type: ignore[no-untyped-def]
    return _speaks(person, language).take(checkup, levels(communication=communication))


def _result(person: Person, assessment_id: int) -> str:
    """The result page, read in English whatever the check-ins were read in."""
    return _speaks(person, "en").client.get(f"/results/{assessment_id}").get_data(as_text=True)


def test_a_spanish_result_uses_spanish_norms_and_an_english_one_provisional(app, checkup) -> None:
    """Spanish norms judge the Spanish check-ins and are named with their language; the
    English check-ins, with no English norms measured, stay on the provisional ones."""
    ana, alex = new_person(app, "ana"), new_person(app, "alex")
    _take_in(ana, checkup, "es", 2)
    spanish = _take_in(ana, checkup, "es", 4)
    _take_in(alex, checkup, "en", 2)
    english = _take_in(alex, checkup, "en", 4)
    _store_in(app, "es")

    page = _result(ana, spanish)
    assert _label(page, "Communication") == WITHIN_NORMAL
    assert _notes(page)[0].startswith(f"Norms: Communication: {IN_SPANISH};")
    page = _result(alex, english)
    assert _label(page, "Communication") == RELIABLE_IMPROVEMENT
    assert _notes(page) == [PROVISIONAL_NOTE]

    # English norms of their own, narrower than the provisional ones, now judge English.
    _store_in(app, "en", ("communication", 12.0, 0.9, 300))
    page = _result(alex, english)
    assert _label(page, "Communication") == RELIABLE_IMPROVEMENT
    assert _notes(page)[0].startswith(
        "Norms: Communication: from 300 people on this server who answered in English,"
    )
    assert _label(_result(ana, spanish), "Communication") == WITHIN_NORMAL


def test_the_newer_check_ins_language_picks_the_norms(app, checkup) -> None:
    """English then Spanish: Spanish norms. Spanish then English: provisional (no English
    norms), never the Spanish ones."""
    _store_in(app, "es")
    ana, kim = new_person(app, "ana"), new_person(app, "kim")
    _take_in(ana, checkup, "en", 2)
    to_spanish = _take_in(ana, checkup, "es", 4)
    _take_in(kim, checkup, "es", 2)
    to_english = _take_in(kim, checkup, "en", 4)
    page = _result(ana, to_spanish)
    assert _label(page, "Communication") == WITHIN_NORMAL
    assert IN_SPANISH in _notes(page)[0]
    page = _result(kim, to_english)
    assert _label(page, "Communication") == RELIABLE_IMPROVEMENT
    assert _notes(page) == [PROVISIONAL_NOTE]


def _history(person: Person) -> str:
    return _speaks(person, "en").client.get("/history").get_data(as_text=True)


def test_history_judges_with_the_latest_check_ins_language(app, checkup) -> None:
    """History's change tables compare the latest with earlier ones: the latest's language."""
    _store_in(app, "es")
    ana, kim = new_person(app, "ana"), new_person(app, "kim")
    _take_in(ana, checkup, "en", 2)
    _take_in(ana, checkup, "es", 4)
    _take_in(kim, checkup, "es", 2)
    _take_in(kim, checkup, "en", 4)
    page = _history(ana)
    assert _label(page, "Communication") == WITHIN_NORMAL
    assert IN_SPANISH in _notes(page)[0]
    page = _history(kim)
    assert _label(page, "Communication") == RELIABLE_IMPROVEMENT
    assert _notes(page)[0] == PROVISIONAL_NOTE


def _tried(page: str) -> str:
    start = page.index('id="tried-heading"')
    return page[start : page.index("</section>", start)]


def test_what_you_tried_judges_with_the_check_in_after_the_plan(app, checkup) -> None:
    """A plan chosen on an English check-up and followed by a Spanish one: Spanish norms,
    named in the table's note; followed by an English one: provisional."""
    _store_in(app, "es")
    for name, after, verdict, note in (
        ("ana", "es", "within-normal-variation", IN_SPANISH),
        ("kim", "en", "reliable-improvement", "Relationship check-up: Norms: provisional."),
    ):
        person = new_person(app, name)
        first = _take_in(person, checkup, "en", 2)
        page = person.client.get(f"/results/{first}").get_data(as_text=True)
        person.choose_plan(first, re.search(r'data-strategy="(\w+)"', page).group(1))
        _take_in(person, checkup, after, 4)
        tried = _tried(_history(person))
        assert f'+50.0: <span class="change change-{verdict}">' in tried, name
        assert any(note in found for found in _notes(tried)), (name, _notes(tried))


def test_partner_gaps_use_the_newer_shared_check_ins_language(app, checkup) -> None:
    """Alex shared in English, then Sam in Spanish: Sam's is newer, so Spanish norms judge
    the gap, on both sides of the link."""
    _store_in(app, "es")
    alex, sam = new_person(app, "alex"), new_person(app, "sam")
    link(app, alex, sam)
    share(alex, _take_in(alex, checkup, "en", 2))
    page = alex.client.get("/partner").get_data(as_text=True)
    share(sam, _take_in(sam, checkup, "es", 4))
    for person in (alex, _speaks(sam, "en")):
        page = person.client.get("/partner").get_data(as_text=True)
        assert _label(page, "Communication", "gap-table") == SEE_SAME
        assert IN_SPANISH in _notes(page)[0]
    # Alex shares a newer one, in English: provisional norms judge the gap again.
    share(alex, _take_in(alex, checkup, "en", 2))
    page = alex.client.get("/partner").get_data(as_text=True)
    assert _label(page, "Communication", "gap-table") == SEE_DIFFERENTLY
    assert _notes(page) == [PROVISIONAL_NOTE]


def test_about_measures_lists_each_language_with_norms_of_its_own(app, client) -> None:
    """The English table stays provisional; a table for Spanish, named, shows its norms."""
    _store_in(app, "es")
    page = client.get("/about/measures").get_data(as_text=True)
    assert _measures_row(page) == ["18.0", "0.70", "27.3 points", "provisional"]
    spanish = page[page.rindex("<table", 0, page.index('data-language="es"')) :]
    assert "Relationship check-up (version 3), answered in Español</caption>" in spanish
    assert _measures_row(spanish) == ["30.0", "0.50", "58.8 points", IN_SPANISH]
    tables = re.findall(
        r'norms-table" data-questionnaire="(\w+)" data-version="(\d+)" data-language="(\w+)"', page
    )
    assert [t for t in tables if t[2] != "en"] == [("checkup", "3", "es")]
    assert {(q, v) for q, v, language in tables if language == "en"} == {
        (q, v) for q, v, _ in tables
    }


def test_norms_measured_by_update_name_their_language_on_the_result(app, runner, checkup) -> None:
    """`flask norms update` on 220 Spanish check-ups of the current version: a Spanish
    result's note names them; an English result's says provisional."""
    with app.app_context():
        catalog = app.extensions["rekindle.catalog"]
        store_people(catalog, checkup, draw_answers(checkup, 220, 31), "es", language="es")
    result = runner.invoke(args=["norms", "update", "--max-half-width", "0.2"])
    assert result.exit_code == 0, result.output
    ana, alex = new_person(app, "ana"), new_person(app, "alex")
    _take_in(ana, checkup, "es", 2)
    spanish = _take_in(ana, checkup, "es", 4)
    _take_in(alex, checkup, "en", 2)
    english = _take_in(alex, checkup, "en", 4)
    assert (
        "from 220 people on this server who answered in Español,"
        in _notes(_result(ana, spanish))[0]
    )
    assert _notes(_result(alex, english)) == [PROVISIONAL_NOTE]
