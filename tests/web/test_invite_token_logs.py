"""The partner invite token never reaches a log line: gunicorn's access and error log of a
real invite, sign-in and join hold ``/partner/join/[redacted]`` and never the token.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from assessment.core.log_redaction import redact
from tests.support.server import HttpPerson, gunicorn, migrate
from tests.web.test_odd_requests import wait_for_log

JOIN_LINK = re.compile(r'value="https?://[^"/]+(/partner/join/([A-Za-z0-9_-]+))"')


def test_the_invite_token_is_never_in_the_server_log(tmp_path) -> None:
    """Invite, open the link signed out, sign in through ``next``, join: no token logged."""
    url = f"sqlite:///{tmp_path / 'invite.sqlite3'}"
    migrate(url, tmp_path)
    with gunicorn(url, tmp_path, workers=1, environment={"RATELIMIT_ENABLED": "0"}) as server:
        alex, sam = HttpPerson(server.url), HttpPerson(server.url)
        assert alex.register("alex").status == 303
        assert alex.request("/partner/invite", alex.form("/partner")).status == 303
        path, token = JOIN_LINK.search(alex.request("/partner").body).groups()
        signed_out = sam.request(path)  # "an invitation waits", with links that keep it
        assert signed_out.status == 200 and token in signed_out.body
        assert sam.register("sam").status == 303
        assert sam.request(f"/login?next={quote(path, safe='')}").status == 302
        assert sam.request(path).status == 200
        assert sam.request(path, sam.form(path)).status == 303
        assert sam.request(path + "?again=1").status in (404, 409, 410)
        log = wait_for_log(server, "POST /partner/join/[redacted]")
    assert token not in log
    assert "GET /partner/join/[redacted]" in log
    assert "next=%2Fpartner%2Fjoin%2F[redacted]" in log


def test_redact_covers_every_shape_of_the_link() -> None:
    """Raw path, percent-encoded ``next``, a full URL in a Referer: the token is gone."""
    token = "Ab-3_x" * 7
    for line in (
        f"POST /partner/join/{token} HTTP/1.1",
        f"GET /login?next=%2Fpartner%2Fjoin%2F{token}&x=1 HTTP/1.1",
        f"GET /login?next=%2fpartner%2fjoin%2f{token} HTTP/1.1",
        f"https://rekindle.example/partner/join/{token}",
    ):
        cleaned = redact(line)
        assert token not in cleaned
        assert "[redacted]" in cleaned
