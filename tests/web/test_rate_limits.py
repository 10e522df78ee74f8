"""Sign-in and sign-up are rate limited: per address, per user name, across workers."""

from __future__ import annotations

import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from tests.conftest import PASSWORD, Person, dispose, sqlite_app
from tests.support.server import HttpPerson, gunicorn, migrate

LIMIT = 10
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def limited_client(tmp_path, migrated_sqlite):  # type: ignore[no-untyped-def]
    """A client of an app with rate limiting switched on (memory storage)."""
    app = sqlite_app(tmp_path, migrated_sqlite, {"RATELIMIT_ENABLED": True})
    yield app.test_client()
    dispose(app)


def _login(client, username: str, address: str = "127.0.0.1") -> int:  # type: ignore[no-untyped-def]
    token = Person(client).csrf("/login")
    response = client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": "wrong password"},
        environ_base={"REMOTE_ADDR": address},
    )
    return response


def test_eleventh_sign_in_a_minute_gets_a_friendly_429(limited_client) -> None:
    """Ten wrong passwords a minute are answered; the eleventh is a 429 that says wait."""
    statuses = [_login(limited_client, "robin").status_code for _ in range(LIMIT)]
    assert statuses == [401] * LIMIT
    blocked = _login(limited_client, "robin")
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert "Please slow down" in page
    assert "wait a minute" in page
    assert 'id="quick-exit"' in page


def test_one_name_is_limited_whatever_the_address(limited_client) -> None:
    """Guessing one person's password from many addresses still stops at ten."""
    for number in range(LIMIT):
        assert _login(limited_client, "robin", f"10.0.0.{number}").status_code == 401
    assert _login(limited_client, "robin", "10.0.1.99").status_code == 429
    assert _login(limited_client, "someone-else", "10.0.1.99").status_code == 401


def test_sign_up_is_limited_too(limited_client) -> None:
    """Creating accounts in a loop stops at ten a minute from one address."""
    person = Person(limited_client)
    statuses = [person.register(f"user{n}", "short").status_code for n in range(LIMIT + 1)]
    assert statuses == [400] * LIMIT + [429]


@pytest.mark.gunicorn
@pytest.mark.redis
def test_limit_holds_across_two_workers_with_redis(tmp_path) -> None:
    """With Redis as the store, two gunicorn workers share one count: exactly ten get through."""
    prefix = f"rekindle-test-{uuid.uuid4().hex[:10]}"
    url = f"sqlite:///{tmp_path / 'redis-limits.sqlite3'}"
    migrate(url, tmp_path)
    environment = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    try:
        with gunicorn(url, tmp_path, workers=2, environment=environment) as server:

            def attempt(_: int) -> int:
                person = HttpPerson(server.url)  # a new connection each time
                fields = person.form("/login")
                reply = person.request(
                    "/login",
                    {**fields, "username": "robin", "password": "wrong " + PASSWORD},
                )
                return reply.status

            # Four at a time, so both workers are busy and both answer attempts.
            with ThreadPoolExecutor(4) as pool:
                statuses = list(pool.map(attempt, range(3 * LIMIT)))
            workers = set(re.findall(r"^<(\d+)> POST /login", server.log.read_text(), re.M))
    finally:
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(f"{prefix}*"):
            store.delete(key)
        store.close()
    assert len(workers) == 2, "both workers answered sign-in attempts"
    assert sorted(statuses) == [401] * LIMIT + [429] * (2 * LIMIT)
