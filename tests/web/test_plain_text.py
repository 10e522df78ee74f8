"""Free text holds plain text only: odd characters and bytes are a 400 with nothing stored.

One rule (``core.PlainText``, docs/architecture.md#forms) for every field a person types
into; bytes that are not UTF-8 are refused before any form is read.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from flask import Flask
from sqlalchemy import func, select
from wtforms import HiddenField, StringField

from assessment.core import Assessment, PlainText, StrictForm, User, db
from tests.conftest import PASSWORD, Person, keyed_answers, levels
from tests.web.test_recovery import NEW_PASSWORD, codes_from, register_and_keep_codes

ODD_CHARACTERS = {
    "next line (U+0085)": "Tea\x85time",
    "next line at the end": "Tea\x85",
    "a byte-order mark alone": "\ufeff",
    "a byte-order mark inside": "Tea\ufefftime",
    "a bell": "Tea\x07",
    "delete": "Tea\x7f",
    "a C1 control": "\x9bTea",
    "a tab": "Tea\ttime",
    "a line break": "Tea\ntime",
    "a non-character": "Tea\ufdd0",
    "U+FFFE": "\ufffe",
    "the last code point, a non-character": "Tea\U0010ffff",
    "the replacement character": "Tea\ufffd",
}
# Urlencoded bytes that are not UTF-8 (the form parser would keep "%FF" as text).
NOT_UTF8 = {
    "%ff": b"Tea%ff",
    "a lone surrogate": b"%ed%a0%80",
    "an overlong slash": b"%c0%af",
    "a raw byte": b"Tea\xff",
}
GOOD_TITLES = {"Café ☕ at 7": "Café ☕ at 7", "  Zeit für uns — 20:00 ": "Zeit für uns — 20:00"}
# Secrets checked against the one stored and never stored: any character may be typed.
CHECKED_NOT_STORED = {
    ("LoginForm", "password"),
    ("DeleteAccountForm", "password"),
    ("PasswordChangeForm", "current"),
    ("PasswordCheckForm", "password"),
}


def stored_title(app: Flask) -> str | None:
    """The reminder title of the one person, as stored."""
    with app.app_context():
        return db.session.scalar(select(User.reminder_title))


def post_title(member: Person, title: str):  # type: ignore[no-untyped-def]
    """The Account page's reminder form, as a browser posts it."""
    return member.client.post(
        "/account/reminder", data={"csrf_token": member.csrf("/account"), "title": title}
    )


@pytest.mark.parametrize("case", ODD_CHARACTERS)
def test_a_title_with_an_odd_character_is_refused(app, member, case) -> None:
    """Is a reminder title holding a control or non-character a 400 that stores nothing?"""
    response = post_title(member, ODD_CHARACTERS[case])
    assert response.status_code == 400
    assert "letters, digits, spaces and punctuation" in response.get_data(as_text=True)
    assert stored_title(app) is None


@pytest.mark.parametrize("case", NOT_UTF8)
def test_a_title_in_bytes_that_are_not_utf8_is_refused(app, member, case) -> None:
    """A urlencoded post whose bytes are not UTF-8: a 400 that stores nothing?"""
    body = b"csrf_token=" + quote(member.csrf("/account")).encode() + b"&title=" + NOT_UTF8[case]
    response = member.client.post(
        "/account/reminder", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert stored_title(app) is None


def test_a_multipart_title_that_is_not_utf8_is_refused(app, member) -> None:
    """In a multipart post the bytes become U+FFFD: still a 400 that stores nothing?"""
    boundary = "plain-text-test"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{member.csrf('/account')}\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n'
        ).encode()
        + b"Tea\xfftime\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    response = member.client.post(
        "/account/reminder", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400
    assert stored_title(app) is None


@pytest.mark.parametrize("typed", GOOD_TITLES)
def test_a_plain_title_in_any_language_is_kept(app, member, typed) -> None:
    """Letters beyond ASCII, an emoji and a dash are plain text: stored, spaces trimmed."""
    assert post_title(member, typed).status_code == 303
    assert stored_title(app) == GOOD_TITLES[typed]


def test_user_names_passwords_and_codes_refuse_odd_characters(app, person) -> None:
    """Signing up, in and recovering with an odd character: a 400, never stored or counted."""
    odd_name = person.register("robin\x85")
    assert odd_name.status_code == 400
    assert person.register("robin", PASSWORD + "\ufeff").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
    codes = codes_from(register_and_keep_codes(person, "robin").get_data(as_text=True))
    person.logout()
    assert person.login("robin\x85").status_code == 400
    recovered = person.client.post(
        "/login/recover",
        data={
            "csrf_token": person.csrf("/login/recover"),
            "username": "robin",
            "code": codes[0] + "\x85",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert recovered.status_code == 400
    assert person.login("robin").status_code == 303  # the password did not change


@pytest.mark.parametrize("path", ["/login?next=%ff", "/history?page=%c0%af", "/healthz?x=%ff"])
def test_a_query_that_is_not_utf8_is_a_400(member, path) -> None:
    """An address whose query is not UTF-8: a plain 400, whatever the page."""
    assert member.client.get(path).status_code == 400


def test_a_submission_token_with_a_line_break_stores_nothing(app, member, checkup) -> None:
    """The questionnaire's token with a line break after it: a 400, no check-up stored?"""
    hidden = member.open_form("checkup")
    hidden["submission_token"] += "\n"
    answers = keyed_answers(checkup, levels())
    assert member.submit("checkup", answers, hidden=hidden).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0


def _form_classes() -> list[type[StrictForm]]:
    found: list[type[StrictForm]] = []
    waiting = [StrictForm]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            found.append(subclass)
            waiting.append(subclass)
    return found


def test_every_free_text_field_follows_the_plain_text_rule(app) -> None:
    """Does every field a person types into carry PlainText (secrets checked, not stored,
    aside)? A new field without it fails here."""
    forms = _form_classes()  # the app fixture has imported every room
    assert {"RegisterForm", "RecoverForm", "ReminderForm", "CountryForm"} <= {
        form.__name__ for form in forms
    }
    unguarded = set()
    for form in forms:
        for name, unbound in vars(form).items():
            kind = getattr(unbound, "field_class", None)
            if not (isinstance(kind, type) and issubclass(kind, StringField)):
                continue
            if issubclass(kind, HiddenField):
                continue  # checked by exact values (ids, tokens) or the next rule
            validators = unbound.kwargs.get("validators") or []
            if not any(isinstance(v, PlainText) for v in validators):
                unguarded.add((form.__name__, name))
    assert unguarded == CHECKED_NOT_STORED
