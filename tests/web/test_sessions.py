"""Sessions (docs/architecture.md#sessions): a copied cookie dies with sign-out, deletion or a reset
of the person's sessions, never signs anyone in as someone else, and ids are never handed out
again.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from assessment.core.extensions import db
from assessment.core.models import User
from assessment.core.sessions import end_every_session
from tests.conftest import TEST_DATABASE_URL, Person, keyed_answers

THREES = dict.fromkeys(
    ("communication", "emotional_needs", "stress", "romance", "intimacy", "support"), 3
)


def session_cookie(client: FlaskClient) -> str:
    """The session cookie a browser holds now, as someone could copy it."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def browser_with(app: Flask, cookie: str) -> FlaskClient:
    """Another browser that was given a copy of a session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def signed_in(client: FlaskClient) -> bool:
    """Whether this browser sees a page only a signed-in person sees."""
    return client.get("/history").status_code == 200


def user_named(app: Flask, username: str) -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def test_the_cookie_names_a_random_session_id_not_the_row_id(app, member) -> None:
    """Does the session hold the person's random session id, and never their row id?"""
    user = user_named(app, "alex")
    with member.client.session_transaction() as session:
        named = session["_user_id"]
    assert named == user.session_id
    assert named != str(user.id)
    assert len(named) >= 40


def test_a_cookie_copied_before_sign_out_is_refused_after(app, member) -> None:
    """Signing out makes every copy of the cookie dead, not only the browser's own."""
    copied = session_cookie(member.client)
    assert signed_in(browser_with(app, copied))
    assert member.logout().status_code == 303
    thief = browser_with(app, copied)
    response = thief.get("/history")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert thief.get("/export.json").status_code == 302


def test_a_cookie_of_a_deleted_account_never_opens_the_next_account(app, member, checkup) -> None:
    """A cookie kept from a deleted account is refused, and shows nothing of the next person."""
    copied = session_cookie(member.client)
    response = member.client.post(
        "/account/delete",
        data={"csrf_token": member.csrf("/account"), "password": "a long walk by the river"},
    )
    assert response.status_code == 303
    newcomer = Person(app.test_client())
    assert newcomer.register("robin").status_code == 303
    mine = newcomer.submit("checkup", keyed_answers(checkup, THREES))
    assessment_path = mine.headers["Location"]
    thief = browser_with(app, copied)
    assert not signed_in(thief)
    assert thief.get(assessment_path).status_code == 302
    export = thief.get("/export.json")
    assert export.status_code == 302
    assert "robin" not in export.get_data(as_text=True)


def test_ending_every_session_refuses_cookies_copied_before(app, member) -> None:
    """What a password change or reset will call: every browser signed in as the person is out."""
    copied = session_cookie(member.client)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "alex"))
        before = user.session_id
        end_every_session(user)
        db.session.commit()
        assert user.session_id != before
    assert not signed_in(member.client)
    assert not signed_in(browser_with(app, copied))
    assert member.login().status_code == 303
    assert signed_in(member.client)


def _csrf_secret(client: FlaskClient) -> str | None:
    with client.session_transaction() as session:
        return session.get("csrf_token")


def test_the_csrf_secret_is_new_after_sign_in(app, person) -> None:
    """A CSRF token seen before signing in is worthless after it."""
    person.register()
    person.logout()
    old_token = person.csrf("/login")
    old_secret = _csrf_secret(person.client)
    assert old_secret
    assert person.login().status_code == 303
    person.client.get("/account")
    assert _csrf_secret(person.client) not in (None, old_secret)
    refused = person.client.post("/logout", data={"csrf_token": old_token})
    assert refused.status_code == 400
    assert signed_in(person.client)


def test_the_csrf_secret_is_new_after_sign_out(app, member) -> None:
    """A CSRF token of the signed-in session is worthless once signed out."""
    old_token = member.csrf("/account")
    old_secret = _csrf_secret(member.client)
    assert member.logout().status_code == 303
    member.client.get("/login")
    assert _csrf_secret(member.client) not in (None, old_secret)
    refused = member.client.post(
        "/login",
        data={"csrf_token": old_token, "username": "alex", "password": "a long walk by the river"},
    )
    assert refused.status_code == 400
    assert not signed_in(member.client)


def test_an_id_is_never_handed_out_again(app, checkup) -> None:
    """Deleting the newest account and check-up, then making new ones, gives new ids."""
    first = Person(app.test_client())
    first.register("first")
    last = Person(app.test_client())
    last.register("last")
    gone_result = last.result_id(last.submit("checkup", keyed_answers(checkup, THREES)))
    gone_user = user_named(app, "last").id
    deleted = last.client.post(
        "/account/delete",
        data={"csrf_token": last.csrf("/account"), "password": "a long walk by the river"},
    )
    assert deleted.status_code == 303
    after = Person(app.test_client())
    after.register("after")
    assert user_named(app, "after").id > gone_user
    assert after.result_id(after.submit("checkup", keyed_answers(checkup, THREES))) > gone_result


def test_every_sqlite_table_uses_autoincrement(app) -> None:
    """On SQLite, every table with an id is declared AUTOINCREMENT (PostgreSQL: sequences)."""
    if TEST_DATABASE_URL:
        return  # PostgreSQL sequences never hand out an id twice
    with app.app_context():
        tables = db.session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        ).all()
    ours = {name: sql for name, sql in tables if name in db.metadata.tables}
    assert set(ours) == set(db.metadata.tables)
    # A table keyed by another table's id (partner_memberships: one row per person) has no id
    # of its own to hand out again.
    own_ids = {
        table.name
        for table in db.metadata.sorted_tables
        if not any(column.foreign_keys for column in table.primary_key.columns)
    }
    assert "partner_memberships" not in own_ids
    for name, sql in ours.items():
        if name in own_ids:
            assert "AUTOINCREMENT" in sql, name


def test_a_remember_me_cookie_follows_the_same_rule(app, member) -> None:
    """Flask-Login's remember-me cookie names the session id too: an old one is refused."""
    from flask_login.utils import encode_cookie

    with app.test_request_context():
        old = encode_cookie(user_named(app, "alex").session_id)
    remembered = app.test_client()
    remembered.set_cookie("remember_token", old)
    assert signed_in(remembered)  # the mechanism works, keyed on the session id
    assert member.logout().status_code == 303
    with app.test_request_context():
        current = encode_cookie(user_named(app, "alex").session_id)
    stale = app.test_client()
    stale.set_cookie("remember_token", old)
    assert not signed_in(stale)
    assert current != old
