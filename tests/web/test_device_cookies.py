"""Nobody can lock a person out by knowing their user name (OWASP's device cookies)."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, Person, dispose, sqlite_app
from tests.web.test_recovery import NEW_PASSWORD, codes_from

STRANGER_TRIES = 20


@pytest.fixture
def limited(tmp_path, migrated_sqlite):  # type: ignore[no-untyped-def]
    """An app with rate limiting switched on (memory storage), as `make run` serves it."""
    app = sqlite_app(tmp_path, migrated_sqlite, {"RATELIMIT_ENABLED": True})
    yield app
    dispose(app)


def _post(client, path: str, data: dict[str, str], address: str):  # type: ignore[no-untyped-def]
    token = Person(client).csrf(path)
    return client.post(
        path, data={"csrf_token": token, **data}, environ_base={"REMOTE_ADDR": address}
    )


def _owner(app) -> tuple[Person, list[str]]:  # type: ignore[no-untyped-def]
    """Robin signs up on their own phone (keeping the codes), then signs out."""
    owner = Person(app.test_client())
    registered = _post(
        owner.client,
        "/register",
        {"username": "robin", "password": PASSWORD, "confirm": PASSWORD},
        "127.0.0.2",
    )
    assert registered.status_code == 303
    codes = codes_from(owner.client.get("/account/recovery-codes/new").get_data(as_text=True))
    assert owner.logout().status_code == 303
    return owner, codes


def test_the_device_cookie_names_nobody(limited) -> None:
    """Is the cookie a random token, never the user name, kept after signing out?"""
    owner, _ = _owner(limited)
    device = owner.client.get_cookie("device")
    assert device is not None and device.http_only
    assert "robin" not in device.value and len(device.value) >= 40


def test_strangers_guessing_a_name_never_lock_out_its_owners_browser(limited) -> None:
    """After 20 wrong passwords for robin from other addresses, does robin's phone get in?"""
    owner, _ = _owner(limited)
    stranger = limited.test_client()
    statuses = [
        _post(
            stranger, "/login", {"username": "robin", "password": "wrong guess"}, f"127.0.1.{n}"
        ).status_code
        for n in range(STRANGER_TRIES)
    ]
    assert statuses.count(429) >= STRANGER_TRIES - 10, statuses  # strangers are stopped
    right = _post(owner.client, "/login", {"username": "robin", "password": PASSWORD}, "127.0.0.2")
    assert right.status_code == 303, right.status_code
    # Another browser that never signed in as robin is still counted with the strangers.
    fresh = limited.test_client()
    blocked = _post(fresh, "/login", {"username": "robin", "password": PASSWORD}, "127.0.2.1")
    assert blocked.status_code == 429


def test_the_owners_browser_keeps_a_small_limit_of_its_own(limited) -> None:
    """Guessing from a browser that signed in before is still limited, on its own count."""
    owner, _ = _owner(limited)
    statuses = [
        _post(
            owner.client, "/login", {"username": "robin", "password": "nope nope"}, "127.0.3.1"
        ).status_code
        for _ in range(11)
    ]
    assert statuses[-1] == 429 and statuses[:10] == [401] * 10


def test_wrong_recovery_codes_from_strangers_never_lock_out_the_owner(limited) -> None:
    """After 20 wrong codes for robin from elsewhere, does robin's phone recover at once?"""
    owner, codes = _owner(limited)
    stranger = limited.test_client()
    statuses = []
    for n in range(STRANGER_TRIES):
        statuses.append(
            _post(
                stranger,
                "/login/recover",
                {
                    "username": "robin",
                    "code": "aaaa-bbbb-cccc-dddd",
                    "password": NEW_PASSWORD,
                    "confirm": NEW_PASSWORD,
                },
                f"127.0.4.{n}",
            ).status_code
        )
    assert 429 in statuses, statuses
    recovered = _post(
        owner.client,
        "/login/recover",
        {"username": "robin", "code": codes[0], "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        "127.0.0.2",
    )
    assert recovered.status_code == 303
