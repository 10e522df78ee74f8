"""Every ``next`` follows one rule, checked before anything is stored (docs/architecture.md#forms).

The help-line country form refuses a ``next`` that is not a page of this site (400, the
choice not stored); sign-in, sign-up and recovery go to the check-ups instead of it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask import Flask
from sqlalchemy import select

from assessment.core import User, db
from tests.conftest import PASSWORD, Person
from tests.web.test_recovery import codes_from, register_and_keep_codes

HOME = "/checkup"  # where a person goes after signing in when no next is given
GOOD = "/safety/help?country=GB#lines"
NOT_OURS = {
    "a line break at the end": "/account\n",
    "a header after a line break": "/account\r\nSet-Cookie: taken=1",
    "another host": "//elsewhere.example/",
    "a backslash": "/\\elsewhere.example",
    "a tab": "/\t/elsewhere.example",
    "a scheme": "https://elsewhere.example/",
    "a script": "javascript:alert(1)",
    "not a path": "account",
    "a space": "/account page",
    "a letter beyond ASCII": "/café",
    "a C1 control": "/account\x85",
    "a page name too long to keep": "/" + "a" * 600,
}


def stored_country(app: Flask) -> str | None:
    """The help-line country the one person chose, as stored."""
    with app.app_context():
        return db.session.scalar(select(User.helpline_country))


def choose(member: Person, **fields: str | list[str]):  # type: ignore[no-untyped-def]
    """Post the country form with these fields (a list: the field repeated)."""
    return member.client.post(
        "/account/country", data={"csrf_token": member.csrf("/account"), **fields}
    )


@pytest.mark.parametrize("case", NOT_OURS)
def test_the_country_form_refuses_a_next_not_ours_before_storing(app, member, case) -> None:
    """A next that is not a page of this site: a 400 and the country not stored?"""
    response = choose(member, country="SE", next=NOT_OURS[case])
    assert response.status_code == 400
    assert stored_country(app) is None


def test_the_country_form_goes_back_to_a_page_of_ours(app, member) -> None:
    """A next of this site, query and anchor included, is where the person lands."""
    response = choose(member, country="SE", next=GOOD)
    assert response.status_code == 303
    assert response.headers["Location"] == GOOD
    assert stored_country(app) == "SE"


def test_the_country_form_takes_exactly_its_fields(app, member) -> None:
    """An extra field, or a field sent twice: a 400 with nothing stored?"""
    assert choose(member, country="SE", next=GOOD, colour="blue").status_code == 400
    assert choose(member, country=["SE", "GB"]).status_code == 400
    assert choose(member, country="SE", next=[GOOD, "/account"]).status_code == 400
    assert stored_country(app) is None


@pytest.mark.parametrize("case", NOT_OURS)
def test_signing_in_goes_to_the_check_ups_instead(app, member, case) -> None:
    """Signing in with a next not ours lands on the check-ups, never off the site."""
    member.logout()
    response = member.client.post(
        f"/login?next={quote(NOT_OURS[case], safe='')}",
        data={"csrf_token": member.csrf("/login"), "username": "alex", "password": PASSWORD},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == HOME


def test_signing_up_and_recovering_go_to_the_check_ups_instead(app, person) -> None:
    """After sign-up (past the codes page) and after recovery: the check-ups, not the next."""
    bad = quote(NOT_OURS["a line break at the end"], safe="")
    page = register_and_keep_codes(person, path=f"/register?next={bad}").get_data(as_text=True)
    assert re.search(rf'class="button" href="{HOME}">Continue', page)
    person.logout()
    response = person.client.post(
        f"/login/recover?next={bad}",
        data={
            "csrf_token": person.csrf("/login/recover"),
            "username": "alex",
            "code": codes_from(page)[0],
            "password": "a quiet morning with tea",
            "confirm": "a quiet morning with tea",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == HOME
    person.logout()
    good = quote(GOOD, safe="")
    again = person.client.post(
        f"/login?next={good}",
        data={
            "csrf_token": person.csrf("/login"),
            "username": "alex",
            "password": "a quiet morning with tea",
        },
    )
    assert again.headers["Location"] == GOOD
