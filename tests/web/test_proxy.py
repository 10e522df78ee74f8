"""Behind a reverse proxy: TRUSTED_PROXIES decides whose word the client's address is."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from app import create_app
from assessment.core import settings
from tests.conftest import Person, app_settings

LIMIT = 10
PROXY = "10.0.0.1"  # every request reaches the app from the proxy's address
INVITE_LINK = re.compile(r'value="(https?)://[^"/]+/partner/join/')


def _client(tmp_path: Path, migrated_sqlite: Path, hops: int) -> Iterator[FlaskClient]:
    database = tmp_path / f"proxy{hops}.sqlite3"
    shutil.copyfile(migrated_sqlite, database)
    config = app_settings(tmp_path, f"sqlite:///{database}") | {
        "RATELIMIT_ENABLED": True,
        "TRUSTED_PROXIES": hops,
    }
    app = create_app(config)
    yield app.test_client()
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


@pytest.fixture
def behind_one_proxy(tmp_path: Path, migrated_sqlite: Path) -> Iterator[FlaskClient]:
    """An app with rate limits on that trusts one proxy hop."""
    yield from _client(tmp_path, migrated_sqlite, 1)


@pytest.fixture
def trusting_nobody(tmp_path: Path, migrated_sqlite: Path) -> Iterator[FlaskClient]:
    """An app with rate limits on and the default TRUSTED_PROXIES=0."""
    yield from _client(tmp_path, migrated_sqlite, 0)


def wrong_password(client: FlaskClient, username: str, forwarded_for: str | None) -> int:
    """One failed sign-in arriving from the proxy, with the X-Forwarded-For it sent."""
    token = Person(client).csrf("/login")
    headers = {} if forwarded_for is None else {"X-Forwarded-For": forwarded_for}
    response = client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": "wrong password"},
        headers=headers,
        environ_base={"REMOTE_ADDR": PROXY},
    )
    return response.status_code


def test_two_people_behind_one_proxy_are_limited_apart(behind_one_proxy) -> None:
    """One person's ten wrong passwords do not lock out someone else behind the same proxy."""
    first = [wrong_password(behind_one_proxy, f"a{n}", "203.0.113.1") for n in range(LIMIT)]
    assert first == [401] * LIMIT
    assert wrong_password(behind_one_proxy, "a-more", "203.0.113.1") == 429
    # Different user names each time, so only the per-address limit is in play.
    second = [wrong_password(behind_one_proxy, f"b{n}", "203.0.113.2") for n in range(LIMIT)]
    assert second == [401] * LIMIT
    assert wrong_password(behind_one_proxy, "b-more", "203.0.113.2") == 429


def test_a_forged_forwarded_for_gains_nothing(behind_one_proxy) -> None:
    """A client that sends its own X-Forwarded-For is still counted by the address the proxy saw.

    The proxy appends the address it saw, so the app gets "forged, real"; ProxyFix believes
    only the right-most entry.
    """
    statuses = [
        wrong_password(behind_one_proxy, f"c{n}", f"198.51.100.{n}, 203.0.113.7")
        for n in range(LIMIT)
    ]
    assert statuses == [401] * LIMIT
    assert wrong_password(behind_one_proxy, "c-more", "198.51.100.99, 203.0.113.7") == 429
    # The forged addresses were never counted as people of their own.
    assert wrong_password(behind_one_proxy, "d0", "198.51.100.0") == 401


def test_with_no_trusted_proxy_forged_headers_change_nothing(trusting_nobody) -> None:
    """TRUSTED_PROXIES=0: X-Forwarded-For is ignored, so changing it does not reset the count."""
    statuses = [wrong_password(trusting_nobody, f"e{n}", f"198.51.100.{n}") for n in range(LIMIT)]
    assert statuses == [401] * LIMIT
    assert wrong_password(trusting_nobody, "e-more", "198.51.100.200") == 429
    assert wrong_password(trusting_nobody, "e-other", None) == 429


def through_proxy(forwarded_proto: str, referrer: str | None = None) -> dict:
    """Request arguments for a request the proxy passes on (a browser's Referer included)."""
    headers = {"X-Forwarded-Proto": forwarded_proto, "X-Forwarded-For": "203.0.113.9"}
    if referrer:
        headers["Referer"] = referrer
    return {"headers": headers, "environ_base": {"REMOTE_ADDR": PROXY}}


def register_through_proxy(client: FlaskClient, forwarded_proto: str, referrer: str | None) -> int:
    """Sign up through the proxy; the status the form post got."""
    token = Person(client).csrf("/register")
    password = "a long walk by the river"
    data = {"csrf_token": token, "username": "robin", "password": password, "confirm": password}
    return client.post(
        "/register", data=data, **through_proxy(forwarded_proto, referrer)
    ).status_code


def invite_scheme(client: FlaskClient, forwarded_proto: str) -> str:
    """The scheme of the partner invitation link, built from the request's own address."""
    referrer = f"{forwarded_proto}://localhost/partner"  # same-origin, as the policy lets it be
    assert register_through_proxy(client, forwarded_proto, referrer) == 303
    token = Person(client).csrf("/partner")
    invited = client.post(
        "/partner/invite", data={"csrf_token": token}, **through_proxy(forwarded_proto, referrer)
    )
    assert invited.status_code == 303
    page = client.get("/partner", **through_proxy(forwarded_proto)).get_data(as_text=True)
    match = INVITE_LINK.search(page)
    assert match, "the invitation link is shown"
    return match.group(1)


def test_the_scheme_comes_from_a_trusted_proxy_only(behind_one_proxy, trusting_nobody) -> None:
    """Behind a TLS proxy an invitation link says https; an untrusted header is ignored."""
    assert invite_scheme(behind_one_proxy, "https") == "https"
    assert invite_scheme(trusting_nobody, "https") == "http"


def test_over_https_a_form_posts_with_the_referer_browsers_send(behind_one_proxy) -> None:
    """Pages let browsers send a same-origin Referer, which the HTTPS CSRF check needs.

    With "no-referrer" every form behind an HTTPS proxy would fail with 400; another site
    still gets no address at all.
    """
    assert behind_one_proxy.get("/login").headers["Referrer-Policy"] == "same-origin"
    assert register_through_proxy(behind_one_proxy, "https", None) == 400
    assert register_through_proxy(behind_one_proxy, "https", "https://evil.example/") == 400
    assert register_through_proxy(behind_one_proxy, "https", "https://localhost/register") == 303


@pytest.mark.parametrize("value", ["-1", "one", "1.5", "²"])
def test_a_trusted_proxies_that_is_not_a_count_stops_start_up(value: str) -> None:
    """A typo in TRUSTED_PROXIES is a clear error at start, not a silently open door."""
    with pytest.raises(ValueError, match="TRUSTED_PROXIES must be the number of proxies"):
        settings.from_environment({"TRUSTED_PROXIES": value})


def test_trusted_proxies_is_read_from_the_environment() -> None:
    """The environment variable sets the count; unset it is 0."""
    assert settings.from_environment({"TRUSTED_PROXIES": "2"})["TRUSTED_PROXIES"] == 2
    assert "TRUSTED_PROXIES" not in settings.from_environment({})
    assert settings.defaults("/tmp")["TRUSTED_PROXIES"] == 0
