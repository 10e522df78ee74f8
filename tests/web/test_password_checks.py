"""Password guessing (docs/architecture.md#accounts): five wrong passwords within 15 minutes, then
429, counted per person in the rate-limit storage (shared by every worker when it is Redis).
"""

from __future__ import annotations

import shutil
import uuid

import pytest
import redis
from sqlalchemy import func, select

from app import create_app
from assessment.account.guesses import password_is_right
from assessment.core.extensions import db
from assessment.core.models import User
from tests.conftest import PASSWORD, Person, app_settings

REDIS_URL = "redis://127.0.0.1:6379/0"


def delete_account(person: Person, password: str):  # type: ignore[no-untyped-def]
    return person.client.post(
        "/account/delete", data={"csrf_token": person.csrf("/account"), "password": password}
    )


def users(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_the_sixth_try_after_five_wrong_passwords_is_429(app, member) -> None:
    """Five wrong passwords are answered 403; then even the right one gets a friendly 429."""
    statuses = [delete_account(member, f"wrong guess {n}").status_code for n in range(5)]
    assert statuses == [403] * 5
    blocked = delete_account(member, PASSWORD)
    assert blocked.status_code == 429
    assert "Please slow down" in blocked.get_data(as_text=True)
    assert users(app) == 1  # nothing was deleted


def test_the_count_is_per_person(app, member) -> None:
    """One person's wrong guesses never lock out another."""
    for n in range(5):
        delete_account(member, f"wrong guess {n}")
    other = Person(app.test_client())
    other.register("robin")
    assert delete_account(other, "wrong guess").status_code == 403
    assert delete_account(other, PASSWORD).status_code == 303
    assert users(app) == 1


def test_a_right_password_clears_the_count(app, member) -> None:
    """Only wrong passwords add up: after a right one, five more wrong ones are answered."""
    for n in range(4):
        assert delete_account(member, f"wrong guess {n}").status_code == 403
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == "alex"))
        assert password_is_right(user, PASSWORD)
    statuses = [delete_account(member, f"again {n}").status_code for n in range(5)]
    assert statuses == [403] * 5
    assert delete_account(member, "again").status_code == 429


@pytest.fixture
def two_workers(tmp_path, migrated_sqlite):  # type: ignore[no-untyped-def]
    """Two apps (as two gunicorn workers would be) on one database and one Redis prefix."""
    database = tmp_path / "shared.sqlite3"
    shutil.copyfile(migrated_sqlite, database)
    prefix = f"test-{uuid.uuid4().hex}"
    settings = app_settings(tmp_path, f"sqlite:///{database}") | {
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    apps = [create_app(settings), create_app(settings)]
    yield apps
    for application in apps:
        with application.app_context():
            application.extensions["sqlalchemy"].engine.dispose()
    store = redis.Redis.from_url(REDIS_URL)
    for key in store.scan_iter(f"*{prefix}*"):
        store.delete(key)
    store.close()


def test_wrong_passwords_add_up_across_workers(two_workers) -> None:
    """Guesses spread over two workers still stop at five: the count lives in Redis."""
    first, second = two_workers
    person = Person(first.test_client())
    person.register("robin")
    elsewhere = Person(second.test_client())
    elsewhere.client.set_cookie("session", person.client.get_cookie("session").value)
    assert [delete_account(person, f"guess {n}").status_code for n in range(3)] == [403] * 3
    assert [delete_account(elsewhere, f"more {n}").status_code for n in range(2)] == [403] * 2
    assert delete_account(person, PASSWORD).status_code == 429
    assert delete_account(elsewhere, PASSWORD).status_code == 429
