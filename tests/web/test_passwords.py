"""A password a person can change, and sessions they can end (docs/architecture.md#accounts)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from assessment.core.extensions import db
from assessment.core.models import User
from tests.conftest import PASSWORD, Person

NEW_PASSWORD = "slow rain over the harbour"


def change(person: Person, current: str, password: str = NEW_PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    """Post the Account page's password form."""
    data = {
        "csrf_token": person.csrf("/account"),
        "current": current,
        "password": password,
        "confirm": password,
    } | extra
    return person.client.post("/account/password", data=data)


def second_session(app: Flask) -> Person:
    """The same person signed in on another device."""
    other = Person(app.test_client())
    assert other.login("alex", PASSWORD).status_code == 303
    return other


def copied_cookie(app: Flask, person: Person):  # type: ignore[no-untyped-def]
    """A client holding a copy of the person's session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie("session", person.client.get_cookie("session").value)
    assert thief.get("/history").status_code == 200
    return thief


def test_changing_the_password_ends_every_other_session(app, member) -> None:
    """After a change, does this browser stay in while another device and a copied cookie
    are out, and only the new password signs in?"""
    other = second_session(app)
    thief = copied_cookie(app, member)
    response = change(member, PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    assert "Your password is changed" in member.client.get("/account").get_data(as_text=True)
    assert member.client.get("/history").status_code == 200
    assert other.client.get("/history").status_code == 302
    assert thief.get("/history").status_code == 302
    fresh = Person(app.test_client())
    assert fresh.login("alex", PASSWORD).status_code == 401
    assert fresh.login("alex", NEW_PASSWORD).status_code == 303


def test_a_wrong_current_password_is_403_and_changes_nothing(app, member) -> None:
    """Is a wrong current password a 403 with a message, the old password still the one?"""
    with app.app_context():
        before = db.session.scalar(select(User.password_hash))
    response = change(member, "not my password at all")
    assert response.status_code == 403
    assert "That is not your current password" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.password_hash)) == before
    assert member.client.get("/history").status_code == 200


def test_a_weak_or_mismatched_new_password_is_a_400(member) -> None:
    """Are the sign-up rules applied to the new password, field by field?"""
    cases = {
        "short": "at least 10 characters",
        "password123": "too easy to guess",
        "alex-alex-alex": "does not contain your user name",
    }
    for password, message in cases.items():
        response = change(member, PASSWORD, password)
        assert response.status_code == 400, password
        assert message in response.get_data(as_text=True)
    mismatch = member.client.post(
        "/account/password",
        data={
            "csrf_token": member.csrf("/account"),
            "current": PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD + "!",
        },
    )
    assert mismatch.status_code == 400
    assert change(member, PASSWORD, remember="yes").status_code == 400
    assert Person(member.client.application.test_client()).login("alex").status_code == 303


def test_sign_out_everywhere_ends_every_session(app, member) -> None:
    """Does "Sign out everywhere" answer 303 to /login and end this, other and copied sessions?"""
    other = second_session(app)
    thief = copied_cookie(app, member)
    response = member.client.post(
        "/account/signout-all", data={"csrf_token": member.csrf("/account")}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    for client in (member.client, other.client, thief):
        assert client.get("/history").status_code == 302
    assert member.login().status_code == 303
    assert member.client.get("/history").status_code == 200


def test_sign_out_everywhere_takes_only_its_token(member) -> None:
    """Is a field more than the CSRF token a 400 that signs nobody out?"""
    response = member.client.post(
        "/account/signout-all", data={"csrf_token": member.csrf("/account"), "all": "yes"}
    )
    assert response.status_code == 400
    assert member.client.get("/history").status_code == 200


def _wrong(member: Person, route: str):  # type: ignore[no-untyped-def]
    token = member.csrf("/account")
    data = {
        "/account/password": {
            "current": "wrong password here",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
        "/account/recovery-codes": {"password": "wrong password here"},
        "/account/delete": {"password": "wrong password here"},
    }[route]
    return member.client.post(route, data={"csrf_token": token} | data)


@pytest.mark.parametrize(
    "route", ["/account/password", "/account/recovery-codes", "/account/delete"]
)
def test_five_wrong_passwords_in_15_minutes_answer_429(member, route) -> None:
    """After five wrong passwords, is the sixth try a 429, even with the right password?"""
    assert [_wrong(member, route).status_code for _ in range(5)] == [403] * 5
    assert _wrong(member, route).status_code == 429
    right = change(member, PASSWORD)
    assert right.status_code == 429
    assert member.client.get("/history").status_code == 200


def test_wrong_passwords_add_up_across_routes(member) -> None:
    """Do wrong passwords on different routes count together toward the five?"""
    statuses = [
        _wrong(member, route).status_code
        for route in (
            "/account/password",
            "/account/recovery-codes",
            "/account/delete",
            "/account/password",
            "/account/recovery-codes",
        )
    ]
    assert statuses == [403] * 5
    assert _wrong(member, "/account/delete").status_code == 429
