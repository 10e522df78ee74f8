"""Every word a person reads comes through a catalog (issue 27, acceptance 1).

Each page of each journey is drawn in the pseudo-language of tests/support/pseudo.py, in
which every catalog word is wrapped in ⟦ ⟧: whatever stands outside the brackets was
written into a template or into Python without passing through translation, and a person
reading Spanish, French or German would meet it in English.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from assessment.core.extensions import db
from assessment.core.models import Plan
from assessment.i18n import LANGUAGES
from questionnaires.loader import load_catalog
from tests.conftest import Person, dispose, levels, sqlite_app
from tests.support.pseudo import PSEUDO, pseudo_settings, untranslated
from tests.support.talking import begun, go, linked_couple, post

CATALOG = load_catalog()
# People's own names, each language's own name, and the help-line services' own names (never
# translated, by design).
OWN_NAMES = (
    {"alex", "sam", "kim", *LANGUAGES.values()}
    | {
        service.name
        for country in CATALOG.helplines.countries.values()
        for service in country.services
    }
    | {CATALOG.helplines.directory.name}
)


@pytest.fixture
def pseudo_app(tmp_path: Path, migrated_sqlite: Path) -> Iterator[Flask]:
    """The app with the pseudo-language's catalog and definitions."""
    app = sqlite_app(tmp_path, migrated_sqlite, pseudo_settings(tmp_path / "pseudo"))
    yield app
    dispose(app)


def reader(app: Flask) -> Person:
    """Someone whose browser asks for the pseudo-language."""
    client = app.test_client()
    client.set_cookie("lang", PSEUDO)
    return Person(client)


def assert_all_translated(person: Person, path: str, status: int = 200) -> str:
    """Draw ``path`` and fail, naming the words, if any of them missed the catalogs."""
    response = person.client.get(path)
    assert response.status_code == status, (path, response.status_code)
    html = response.get_data(as_text=True)
    missed = untranslated(html, OWN_NAMES)
    assert missed == [], f"{path}: {missed}"
    return html


def test_the_pseudo_language_finds_a_word_left_in_english(pseudo_app: Flask) -> None:
    """The check itself: a page's English outside the brackets is named."""
    html = '<main><h1>⟦Sign in⟧</h1><p>Forgot it?</p><button title="Close">⟦Go⟧</button></main>'
    assert untranslated(html) == ["Forgot it?", "Close"]
    assert untranslated("<p>⟦Read <a>this</a> now.⟧ 12 · alex</p>", {"alex"}) == []


def test_every_page_signed_out_is_translated(pseudo_app: Flask) -> None:
    """The start page, signing up and in, recovery, safety, help lines and the about pages."""
    visitor = reader(pseudo_app)
    for path in (
        "/",
        "/login",
        "/register",
        "/login/recover",
        "/safety",
        "/safety/help",
        "/safety/help?country=GB",
        "/safety/help?country=ES",
        "/safety/help?country=other",
        "/about/measures",
        "/about/sources",
    ):
        assert_all_translated(visitor, path)
    assert_all_translated(visitor, "/no-such-page", 404)
    assert_all_translated(visitor, "/safety/help?country=12", 400)


def test_a_forms_errors_are_translated(pseudo_app: Flask) -> None:
    """A sign-up with a short password and a check-up sent half empty: every error."""
    visitor = reader(pseudo_app)
    response = visitor.register(password="short")
    assert response.status_code == 400
    assert untranslated(response.get_data(as_text=True), OWN_NAMES) == []
    assert visitor.register("alex").status_code == 303
    assert_all_translated(visitor, "/account/recovery-codes/new")
    hidden = visitor.open_form("checkup")
    response = visitor.client.post("/checkup/checkup", data=hidden)
    assert response.status_code == 400, response.status_code
    assert untranslated(response.get_data(as_text=True), OWN_NAMES) == []


def test_every_page_of_a_persons_journey_is_translated(pseudo_app: Flask) -> None:
    """Check-ups, results (with a plan chosen), History, plans, the account, a flagged
    result, and the calendar reminder's default title."""
    catalog = pseudo_app.extensions["rekindle.catalog"]
    checkup, pulse = catalog.latest("checkup"), catalog.latest("pulse")
    alex = reader(pseudo_app)
    assert alex.register("alex").status_code == 303
    for path in ("/checkup", "/checkup/checkup", "/checkup/pulse", "/history", "/plans"):
        assert_all_translated(alex, path)
    first = alex.take(checkup, levels(communication=1, romance=2))
    html = assert_all_translated(alex, f"/results/{first}")
    strategy = html.split('name="strategy_id" value="', 1)[1].split('"', 1)[0]
    token = alex.csrf(f"/results/{first}")
    response = alex.client.post(
        "/plans", data={"csrf_token": token, "strategy_id": strategy, "assessment_id": first}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    alex.take(pulse, levels(communication=3))
    second = alex.take(checkup, levels(communication=4, romance=4))
    for path in (f"/results/{second}", "/history", "/plans", "/account"):
        assert_all_translated(alex, path)
    with pseudo_app.app_context():
        assert db.session.query(Plan).count() == 1
    flagged = alex.take(checkup, levels(), flagged=True)
    for path in (f"/results/{flagged}", "/history", "/plans", "/checkup"):
        assert_all_translated(alex, path)
    reminder = alex.client.get("/reminders/next.ics?weeks=2").get_data(as_text=True)
    summary = next(line for line in reminder.splitlines() if line.startswith("SUMMARY:"))
    assert "⟦" in summary, summary


def test_every_partner_and_talk_page_is_translated(pseudo_app: Flask) -> None:
    """Unlinked, invited, linked with shared check-ups, a talk at each step, preparing alone."""
    kim = reader(pseudo_app)
    assert kim.register("kim").status_code == 303
    assert_all_translated(kim, "/partner")
    assert_all_translated(kim, "/talk/prepare")
    couple = linked_couple(pseudo_app)
    for person in (couple.first, couple.second):
        person.client.set_cookie("lang", PSEUDO)
    assert_all_translated(couple.first, "/partner")
    assert_all_translated(couple.first, "/talk")
    number = begun(couple)
    assert_all_translated(couple.second, "/talk")
    for step in range(1, 7):
        if step > 1:
            fields = {"dimension": "communication"} if step == 4 else {}
            assert go(couple.first, number, step, **fields).status_code == 303
        assert_all_translated(couple.first, f"/talk/{number}")
    response = post(
        couple.first,
        "/talk/prepare",
        dimension="communication",
        when="we eat",
        feel="far away",
        like="to sit together",
    )
    assert response.status_code == 200
    assert (
        untranslated(
            response.get_data(as_text=True),
            OWN_NAMES | {"eat", "far", "away", "sit", "together", "to", "we"},
        )
        == []
    )
