"""Security headers on every kind of response, and cookies that stay where they belong."""

from __future__ import annotations

import re

import pytest

from app import create_app
from tests.conftest import PASSWORD, app_settings


def _csp_directives(header: str) -> dict[str, list[str]]:
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/login", 200),
        ("/healthz", 200),
        ("/static/css/site.css", 200),
        ("/static/js/rekindle.js", 200),
        ("/no-such-page", 404),
        ("/logout", 405),
        ("/history", 302),
    ],
)
def test_every_response_carries_the_security_headers(client, path, status) -> None:
    """Pages, errors, redirects, JSON and static files: the same strict headers on each."""
    response = client.get(path)
    response.close()
    assert response.status_code == status
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"  # nothing is sent to another site
    csp = _csp_directives(headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval, no other host
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    for sources in csp.values():
        for source in sources:
            assert not re.match(r"https?:|\*|data:.*script", source) or source == "data:", source


def test_plotly_asset_carries_the_headers_too(member) -> None:
    """The versioned plotly.js: nosniff and the policy, with its year-long cache."""
    from assessment.core.assets import plotly_filename

    response = member.client.get(f"/assets/{plotly_filename()}")
    response.close()
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_pages_holding_answers_are_never_cached(member) -> None:
    """Private pages say no-store, so a shared computer's cache keeps nothing."""
    assert member.client.get("/history").headers["Cache-Control"] == "no-store"


def _session_cookie(response) -> str:  # type: ignore[no-untyped-def]
    cookies = [v for k, v in response.headers.items() if k == "Set-Cookie"]
    return next(c for c in cookies if c.startswith("session="))


def test_session_cookie_is_http_only_and_same_site_lax(person) -> None:
    """The session cookie is out of reach of scripts and not sent on cross-site posts."""
    response = person.register("cookie")
    cookie = _session_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on a laptop must still work


def test_session_cookie_is_secure_when_configured(tmp_path, monkeypatch) -> None:
    """With SESSION_COOKIE_SECURE set, the cookie is only ever sent over HTTPS."""
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    database = tmp_path / "secure.sqlite3"
    app = create_app(app_settings(tmp_path, f"sqlite:///{database}"))
    with app.app_context():
        from assessment.core.extensions import db

        db.create_all()
    client = app.test_client()
    page = client.get("/register", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    response = client.post(
        "/register",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/register"},  # CSRF checks it over HTTPS
        data={
            "csrf_token": token.group(1),
            "username": "secure",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 303
    assert "Secure" in _session_cookie(response)


def test_secret_key_comes_from_the_environment(tmp_path, monkeypatch) -> None:
    """SECRET_KEY in the environment wins, and no key file is written."""
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()
