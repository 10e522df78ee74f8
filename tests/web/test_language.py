"""Choosing a language: the footer's chooser, the account's setting, the browser's wish
(issue 27, acceptance 4; docs/architecture.md#languages)."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from assessment.core.extensions import db
from assessment.core.models import Assessment, User
from questionnaires.models import Questionnaire
from tests.conftest import (
    PASSWORD,
    Person,
    levels,
    make_assessment,
    make_user,
    radar_of,
    row_counts,
)

HTML_LANG = re.compile(r'<html lang="([a-z]+)" dir="(ltr|rtl)">')


def lang_of(person: Person, path: str = "/") -> str:
    """The language a page says it is in (``<html lang>``)."""
    html = person.client.get(path).get_data(as_text=True)
    found = HTML_LANG.search(html)
    assert found, html[:300]
    return found.group(1)


def choose(person: Person, language: str, next_path: str | None = "/about/measures"):  # type: ignore[no-untyped-def]
    """Press the footer's "Change" with ``language`` chosen, on ``next_path``."""
    query = f"?next={next_path}" if next_path is not None else ""
    return person.client.post(
        f"/language{query}", data={"csrf_token": person.csrf("/"), "language": language}
    )


def saved_language(app: Flask, username: str) -> str | None:
    with app.app_context():
        return db.session.scalar(select(User.language).where(User.username == username))


def test_english_unless_the_browser_asks_for_another(person: Person) -> None:
    assert lang_of(person) == "en"
    person.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de-AT,de;q=0.9,en;q=0.5"
    assert lang_of(person) == "de"
    person.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "pt-BR,it;q=0.8"
    assert lang_of(person) == "en", "a language Rekindle does not offer is English"


def test_the_chooser_works_signed_out_and_goes_back(person: Person) -> None:
    person.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    response = choose(person, "es")
    assert response.status_code == 303
    assert response.headers["Location"] == "/about/measures"
    assert lang_of(person) == "es", "the cookie outranks the browser's wish"
    cookie = person.client.get_cookie("lang")
    assert cookie is not None and cookie.value == "es" and cookie.http_only


def test_the_choice_is_kept_on_the_account_and_follows_the_person(
    app: Flask, member: Person
) -> None:
    assert choose(member, "fr").status_code == 303
    assert saved_language(app, "alex") == "fr"
    elsewhere = Person(app.test_client())
    elsewhere.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    assert elsewhere.login().status_code == 303
    assert lang_of(elsewhere, "/account") == "fr", "a new device reads the account's choice"


def test_an_odd_choice_is_a_400_and_nothing_is_stored(app: Flask, member: Person) -> None:
    before = row_counts(app)
    for language in ("xx", "", "EN", "es\x00"):
        response = choose(member, language)
        assert response.status_code == 400, language
        assert member.client.get_cookie("lang") is None
    response = member.client.post(
        "/language",
        data={"csrf_token": member.csrf("/"), "language": "es", "extra": "1"},
    )
    assert response.status_code == 400
    assert saved_language(app, "alex") is None
    assert row_counts(app) == before
    assert member.client.post("/language", data={"language": "es"}).status_code == 400


def test_a_next_off_the_site_goes_to_the_start_page(person: Person) -> None:
    for target in ("https://example.com/", "//example.com", "/account%0A", None):
        response = choose(person, "de", target)
        assert response.status_code == 303
        assert response.headers["Location"] == "/", target


def test_a_checkup_keeps_the_language_it_was_read_in(
    app: Flask, member: Person, checkup: Questionnaire
) -> None:
    first = member.take(checkup, levels())
    assert choose(member, "es").status_code == 303
    second = member.take(checkup, levels(communication=4))
    with app.app_context():
        stored = dict(db.session.execute(select(Assessment.id, Assessment.language)).all())
    assert stored == {first: "en", second: "es"}


def test_dates_and_numbers_read_the_readers_way(member: Person, checkup: Questionnaire) -> None:
    result = member.take(checkup, levels(communication=2))
    english = member.client.get(f"/results/{result}").get_data(as_text=True)
    assert re.search(r"\b\d{1,2} [A-Z][a-z]+ 20\d\d\b", english), "3 March 2026"
    assert re.search(r"\b\d+\.\d\b", english)
    choose(member, "de")
    german = member.client.get(f"/results/{result}").get_data(as_text=True)
    months = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
    assert re.search(rf"\b\d{{1,2}}\. ({months}) 20\d\d\b", german), "3. März 2026"
    assert re.search(r"\b\d+,\d\b", german), "scores with a decimal comma"


BAND_NAMES = re.compile(r'class="band band-(strength|steady|growth)">([^<]+)<')


def test_band_names_follow_each_reader_not_the_first_one(person: Person) -> None:
    """The bands' names written as constants in a template (``100|band_words``) are in the
    language of the page, even after a page in another language was drawn first."""
    person.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    first = person.client.get("/about/measures").get_data(as_text=True)
    assert dict(BAND_NAMES.findall(first))["strength"] == "fortaleza"
    person.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    german = dict(BAND_NAMES.findall(person.client.get("/about/measures").get_data(as_text=True)))
    assert german == {"strength": "Stärke", "steady": "stabil", "growth": "Luft nach oben"}


def test_the_radar_writes_scores_as_the_reader_does(app: Flask, client, checkup) -> None:  # type: ignore[no-untyped-def]
    """A German result's radar writes 62,5 (as its table does), an English one 62.5."""
    user_id = make_user(app, "ingrid")
    person = Person(client)
    assert person.login("ingrid", PASSWORD).status_code == 303
    shown = make_assessment(app, user_id, checkup, levels(communication=3))
    english = radar_of(person.client.get(f"/results/{shown}").get_data(as_text=True))
    assert "." in english["scores"][0][0] and "," not in english["scores"][0][0]
    person.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    german = radar_of(person.client.get(f"/results/{shown}").get_data(as_text=True))
    assert german["scores"][0] == [score.replace(".", ",") for score in english["scores"][0]]


def test_a_right_to_left_language_turns_the_page(app: Flask, person: Person) -> None:
    """A server that offers Arabic writes its pages right to left, as Babel says Arabic is."""
    app.config["LANGUAGES"] = {"en": "English", "ar": "العربية"}
    person.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar"
    html = person.client.get("/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    person.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert '<html lang="en" dir="ltr">' in person.client.get("/").get_data(as_text=True)


def test_the_account_page_sets_the_language_for_every_device(app: Flask, member: Person) -> None:
    """The Account page has its own chooser (beside the footer's, ids apart): it shows the
    saved language and changes it for the account, then comes back to the Account page."""
    page = member.client.get("/account").get_data(as_text=True)
    section = page[page.index('id="language-setting"') :]
    assert '<select id="account-language" name="language">' in section
    assert '<option value="en" lang="en" selected>' in section
    assert page.count('id="language"') == 1  # the footer's, once
    response = member.client.post(
        "/language?next=/account",
        data={"csrf_token": member.csrf("/account"), "language": "de"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    assert saved_language(app, "alex") == "de"
    page = member.client.get("/account").get_data(as_text=True)
    assert '<option value="de" lang="de" selected>' in page[page.index('id="language-setting"') :]
    assert "auf jedem Gerät an, auf dem du dich anmeldest" in page
