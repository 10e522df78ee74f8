"""Recovery without e-mail: ten codes shown once, each good for one way back in.

See docs/architecture.md#accounts.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from sqlalchemy import func, select

from app import create_app
from assessment.core.extensions import db
from assessment.core.models import RecoveryCode, User
from tests.conftest import PASSWORD, Person, app_settings

CODE = re.compile(r'<code class="recovery-code">([^<]+)</code>')
NEW_PASSWORD = "a quiet morning with tea"
WRONG = "That user name and recovery code do not match an account, or the code was used."


def codes_from(html: str) -> list[str]:
    """The codes a page shows."""
    return CODE.findall(html)


def register_and_keep_codes(person: Person, username: str = "alex", path: str = "/register"):  # type: ignore[no-untyped-def]
    """Register (following the page after it) and return the codes page."""
    response = person.client.post(
        path,
        data={
            "csrf_token": person.csrf("/register"),
            "username": username,
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/recovery-codes/new"
    return person.client.get("/account/recovery-codes/new")


def recover(person: Person, code: str, username: str = "alex", password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    """Post the recovery form as a browser would."""
    return person.client.post(
        "/login/recover",
        data={
            "csrf_token": person.csrf("/login/recover"),
            "username": username,
            "code": code,
            "password": password,
            "confirm": password,
        },
    )


def test_register_page_says_why_the_codes_matter(person) -> None:
    """Before anyone signs up, does the page say the codes are the only way back in?"""
    page = person.client.get("/register").get_data(as_text=True)
    assert "10 recovery codes" in page
    assert "only way back into your account" in page
    assert "no e-mail address" in page


def test_registration_shows_ten_codes_once_stored_only_hashed(person, app) -> None:
    """Are ten distinct codes shown once, never stored as typed, then Continue goes on?"""
    page = register_and_keep_codes(person).get_data(as_text=True)
    codes = codes_from(page)
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code) for code in codes)
    assert re.search(r'<a class="button" href="/checkup">Continue</a>', page)
    with app.app_context():
        stored = list(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10
    for code in codes:
        assert code not in stored and code.replace("-", "") not in stored
    app_session = app.session_interface.get_signing_serializer(app)
    held = json.dumps(app_session.loads(person.client.get_cookie("session").value))
    assert not any(code in held or code.replace("-", "") in held for code in codes)
    assert "older codes" not in page  # a first sign-up had none
    again = person.client.get("/account/recovery-codes/new").get_data(as_text=True)
    assert codes_from(again) == []
    assert "shown only once" in again
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 10


def test_continue_goes_where_the_person_was_going(person) -> None:
    """Does "Continue" lead to the page the person set out for (and never off the site)?"""
    page = register_and_keep_codes(person, path="/register?next=/partner").get_data(as_text=True)
    assert '<a class="button" href="/partner">Continue</a>' in page
    other = Person(person.client.application.test_client())
    page = register_and_keep_codes(other, "sam", "/register?next=https://evil.example/")
    assert '<a class="button" href="/checkup">Continue</a>' in page.get_data(as_text=True)


def test_a_code_sets_a_new_password_signs_in_and_is_spent(person, app) -> None:
    """Does a code (any case, with or without hyphens) let the person back in, only once?"""
    codes = codes_from(register_and_keep_codes(person).get_data(as_text=True))
    person.logout()
    typed = codes[3].replace("-", "").upper()
    response = recover(person, typed)
    assert response.status_code == 303
    landing = person.client.get(response.headers["Location"])
    assert landing.status_code == 200
    assert "You have 9 recovery codes left." in landing.get_data(as_text=True)
    person.logout()
    assert person.login("alex", PASSWORD).status_code == 401
    assert person.login("alex", NEW_PASSWORD).status_code == 303
    person.logout()
    spent = recover(person, codes[3], password="another fine evening")
    assert spent.status_code == 401
    assert WRONG in spent.get_data(as_text=True)
    assert person.login("alex", NEW_PASSWORD).status_code == 303
    with app.app_context():
        used = db.session.scalar(
            select(func.count()).select_from(RecoveryCode).where(RecoveryCode.used_at.is_not(None))
        )
    assert used == 1
    person.logout()
    assert recover(person, codes[4].upper(), password="another fine evening").status_code == 303


def test_wrong_name_or_code_is_one_401_message_and_changes_nothing(person, app) -> None:
    """Do an unknown name, a wrong code and someone else's code all get the same 401?"""
    alex_codes = codes_from(register_and_keep_codes(person).get_data(as_text=True))
    person.logout()
    register_and_keep_codes(person, "sam")
    person.logout()
    with app.app_context():
        hashes = {u.username: u.password_hash for u in db.session.scalars(select(User))}
    for username, code in (
        ("nobody", alex_codes[0]),
        ("alex", "abcd-efgh-jkmn-pqrs"),
        ("sam", alex_codes[0]),
    ):
        response = recover(person, code, username=username)
        assert response.status_code == 401
        assert WRONG in response.get_data(as_text=True)
    assert person.client.get("/history").status_code == 302
    with app.app_context():
        assert {u.username: u.password_hash for u in db.session.scalars(select(User))} == hashes
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(RecoveryCode)
                .where(RecoveryCode.used_at.is_not(None))
            )
            == 0
        )


def test_recover_form_errors_and_unknown_fields(person) -> None:
    """Is a weak new password re-shown with 400, and an extra field a 400 too?"""
    codes = codes_from(register_and_keep_codes(person).get_data(as_text=True))
    person.logout()
    weak = recover(person, codes[0], password="short")
    assert weak.status_code == 400
    assert "at least 10 characters" in weak.get_data(as_text=True)
    extra = person.client.post(
        "/login/recover",
        data={
            "csrf_token": person.csrf("/login/recover"),
            "username": "alex",
            "code": codes[0],
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "remember": "yes",
        },
    )
    assert extra.status_code == 400
    assert recover(person, codes[0]).status_code == 303  # neither spent the code


def test_new_codes_from_the_account_page_void_the_old(member, app) -> None:
    """Does the right password give ten new codes (old ones dead), a wrong one 403?"""
    old = codes_from(member.client.get("/account/recovery-codes/new").get_data(as_text=True))
    assert len(old) == 10  # the page after signing up, opened late: still shown once
    wrong = member.client.post(
        "/account/recovery-codes",
        data={"csrf_token": member.csrf("/account"), "password": "not my password"},
    )
    assert wrong.status_code == 403
    extra = member.client.post(
        "/account/recovery-codes",
        data={"csrf_token": member.csrf("/account"), "password": PASSWORD, "count": "20"},
    )
    assert extra.status_code == 400
    right = member.client.post(
        "/account/recovery-codes",
        data={"csrf_token": member.csrf("/account"), "password": PASSWORD},
    )
    assert right.status_code == 200  # shown in the answer to the post that proved the password
    page = right.get_data(as_text=True)
    new = codes_from(page)
    assert len(new) == 10 and not set(new) & set(old)
    assert '<a class="button" href="/account">Continue</a>' in page
    assert "older codes no longer work" in page
    # Nothing is left to mint them again without the password.
    assert codes_from(member.client.get("/account/recovery-codes/new").get_data(as_text=True)) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 10
    member.logout()
    assert recover(member, old[0]).status_code == 401
    assert recover(member, new[0]).status_code == 303


@pytest.fixture
def limited(tmp_path, migrated_sqlite):  # type: ignore[no-untyped-def]
    """An app with rate limiting switched on (memory storage)."""
    database = tmp_path / "limited.sqlite3"
    shutil.copyfile(migrated_sqlite, database)
    application = create_app(
        app_settings(tmp_path, f"sqlite:///{database}") | {"RATELIMIT_ENABLED": True}
    )
    yield application
    with application.app_context():
        db.engine.dispose()


def test_recovery_is_rate_limited_like_sign_in(limited) -> None:
    """Ten tries a minute from one address are answered, whatever the name; then 429."""
    person = Person(limited.test_client())
    statuses = [recover(person, "abcd-efgh", username=f"name{n}").status_code for n in range(10)]
    assert statuses == [401] * 10
    blocked = recover(person, "abcd-efgh", username="name99")
    assert blocked.status_code == 429
    assert "Please slow down" in blocked.get_data(as_text=True)


def test_five_wrong_codes_for_one_name_in_15_minutes_answer_429(person) -> None:
    """Guessing codes for one account stops after five, even with the right code next."""
    codes = codes_from(register_and_keep_codes(person).get_data(as_text=True))
    person.logout()
    statuses = [recover(person, f"wrong-code-{n}").status_code for n in range(5)]
    assert statuses == [401] * 5
    assert recover(person, codes[0]).status_code == 429
    assert person.client.get("/history").status_code == 302


def test_a_copied_sign_up_cookie_mints_no_codes_later(app) -> None:
    """Copied right after sign-up and replayed after the owner went on: no new codes minted?"""
    owner = Person(app.test_client())
    assert owner.register("alex").status_code == 303
    copied = owner.client.get_cookie("session").value
    codes = codes_from(owner.client.get("/account/recovery-codes/new").get_data(as_text=True))
    assert len(codes) == 10
    thief = app.test_client()
    thief.set_cookie("session", copied)
    replay = thief.get("/account/recovery-codes/new")
    assert replay.status_code == 200
    assert codes_from(replay.get_data(as_text=True)) == []
    # The owner's codes still work: nothing was voided by the replay.
    owner.logout()
    assert recover(owner, codes[0]).status_code == 303


def test_the_first_codes_are_shown_only_once_they_are_stored(app) -> None:
    """Opened twice at once, or again later, are the first codes minted exactly once?"""
    owner = Person(app.test_client())
    assert owner.register("alex").status_code == 303
    first = codes_from(owner.client.get("/account/recovery-codes/new").get_data(as_text=True))
    again = codes_from(owner.client.get("/account/recovery-codes/new").get_data(as_text=True))
    assert len(first) == 10 and again == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 10
