"""With the rate-limit store (Redis) unreachable, signing in and up go on, limits held in memory.

The store is a Redis URL on a port nobody listens on (docs/architecture.md#database).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import PASSWORD, Person, dispose, sqlite_app
from tests.support.server import free_port
from tests.web.test_password_checks import delete_account

LIMIT = 10  # sign-in tries a minute from one address (README, "Configuration")
REDIS_URL = "redis://127.0.0.1:6379/0"


def limited_app(tmp_path, migrated_sqlite, store: str) -> Flask:  # type: ignore[no-untyped-def]
    """An app with rate limits on, counting in ``store``."""
    return sqlite_app(
        tmp_path,
        migrated_sqlite,
        {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": store,
            "RATELIMIT_KEY_PREFIX": f"fallback-{uuid.uuid4().hex[:10]}",
        },
    )


@pytest.fixture
def redis_down(tmp_path, migrated_sqlite) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    """Rate limits on, their store a Redis that cannot be reached."""
    app = limited_app(tmp_path, migrated_sqlite, f"redis://127.0.0.1:{free_port()}/0")
    yield app
    dispose(app)


def test_sign_up_and_sign_in_go_on_and_stay_limited(redis_down) -> None:
    """Redis down: can a person sign up and in, and does the eleventh try still get a 429?"""
    person = Person(redis_down.test_client())
    assert person.register("robin").status_code == 303
    assert person.logout().status_code == 303
    wrong = [person.login("robin", "not my password").status_code for _ in range(LIMIT - 1)]
    assert wrong == [401] * (LIMIT - 1)
    assert person.login("robin").status_code == 303
    assert person.logout().status_code == 303
    assert person.login("robin").status_code == 429


def test_wrong_passwords_are_still_counted(redis_down) -> None:
    """Redis down: five wrong passwords, then a 429 even for the right one, as with Redis?"""
    person = Person(redis_down.test_client())
    assert person.register("robin").status_code == 303
    assert [delete_account(person, f"guess {n}").status_code for n in range(5)] == [403] * 5
    assert delete_account(person, PASSWORD).status_code == 429


def test_healthz_says_the_limits_are_counted_in_memory(redis_down) -> None:
    """Redis down, the database fine: /healthz is 200 and says where limits are counted."""
    response = redis_down.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "db": "ok", "limits": "memory fallback"}


@pytest.mark.redis
def test_healthz_says_ok_when_redis_answers(tmp_path, migrated_sqlite) -> None:
    """With the shared Redis reachable, /healthz says the limits are fine."""
    app = limited_app(tmp_path, migrated_sqlite, REDIS_URL)
    try:
        response = app.test_client().get("/healthz")
    finally:
        dispose(app)
    assert response.get_json() == {"status": "ok", "db": "ok", "limits": "ok"}
