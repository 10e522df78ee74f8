"""Accounts: register, sign in, sign out, with clear messages when something is wrong."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assessment.core.extensions import db
from assessment.core.models import User
from tests.conftest import PASSWORD


def test_register_signs_in_and_hashes_the_password(person, app) -> None:
    """Is a new account signed in at once, its password never stored as typed?"""
    response = person.register("robin")
    assert response.status_code == 303
    assert person.client.get("/history").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "robin"))
        assert user.password_hash != PASSWORD
        assert PASSWORD not in user.password_hash
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_production_hashes_passwords_with_scrypt(tmp_path, monkeypatch) -> None:
    """Does an app configured as deployed hash with scrypt (only tests use a cheap method)?"""
    from app import create_app
    from assessment.account.hashing import hash_password, password_matches

    monkeypatch.setenv("PASSWORD_HASH_METHOD", "pbkdf2:sha256:1")  # no way in from outside
    production = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert production.config["PASSWORD_HASH_METHOD"] == "scrypt"
    with production.app_context():
        stored = hash_password(PASSWORD)
        assert stored.startswith("scrypt:")
        assert password_matches(stored, PASSWORD)
        assert not password_matches(stored, PASSWORD + "!")
        assert not password_matches(None, PASSWORD)


def test_duplicate_username_is_refused_clearly(person, app) -> None:
    """Is a taken user name (in any case) refused with a message, and no second row stored?"""
    person.register("robin")
    person.logout()
    response = person.register("Robin")
    assert response.status_code == 400
    assert "That user name is taken" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 1


def test_weak_passwords_are_refused_with_a_reason(person, app) -> None:
    """Are short, common and mismatched passwords refused with a message next to the field?"""
    cases = {
        "short": ("short", "at least 10 characters"),
        "common": ("password123", "too easy to guess"),
        "repeated": ("aaaaaaaaaaaa", "too easy to guess"),
        "name": ("robin-robin-robin", "does not contain your user name"),
    }
    for password, message in cases.values():
        response = person.register("robin", password)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    mismatch = person.register("robin", PASSWORD, confirm=PASSWORD + "x")
    assert mismatch.status_code == 400
    assert "The two passwords are not the same." in mismatch.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(User)).all() == []


def test_login_failure_does_not_say_which_part_was_wrong(person) -> None:
    """Do a wrong password and an unknown user get the same 401 message?"""
    person.register("robin")
    person.logout()
    wrong_password = person.login("robin", "not the password at all")
    unknown_user = person.login("nobody-here", PASSWORD)
    assert wrong_password.status_code == unknown_user.status_code == 401
    message = "That user name and password do not match an account."
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown_user.get_data(as_text=True)


def test_login_and_logout(person) -> None:
    """Can a person sign in, and after signing out is History closed again?"""
    person.register("robin")
    assert person.logout().status_code == 303
    assert person.client.get("/history").status_code == 302
    assert person.login("robin").status_code == 303
    assert person.client.get("/history").status_code == 200


def test_login_never_redirects_to_another_site(person) -> None:
    """Is a ?next= pointing elsewhere ignored?"""
    person.register("robin")
    person.logout()
    response = person.login("robin", next_path="https://evil.example/")
    assert response.status_code == 303
    assert response.headers["Location"] == "/checkup"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example/",
        "/\t/evil.example/",
        "/\n/evil.example",
        "\\\\evil.example",
    ],
)
def test_login_never_redirects_through_a_look_alike_path(person, target) -> None:
    """Backslashes and tabs that browsers turn into "//" never lead off the site."""
    person.register("robin")
    person.logout()
    response = person.login("robin", next_path=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/checkup"


def test_login_still_returns_to_a_page_on_this_site(person) -> None:
    """A plain path of this site in ?next= is where sign-in goes."""
    person.register("robin")
    person.logout()
    response = person.login("robin", next_path="/partner/join/abc_DEF-123")
    assert response.headers["Location"] == "/partner/join/abc_DEF-123"
