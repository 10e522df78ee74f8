"""Odd requests (docs/architecture.md#forms): huge or foreign ids, NUL bytes and broken chunked
bodies get a clear 4xx, nothing is stored, and nothing of a refused body reaches a log.

The web tests run on PostgreSQL too when TEST_DATABASE_URL is set; the chunked bodies go to
a real gunicorn over raw sockets, since only a real server parses chunked encoding.
"""

from __future__ import annotations

import re
import socket
import time
from urllib.parse import quote, urlencode

import pytest

from tests.conftest import PASSWORD, hidden_fields, keyed_answers, levels
from tests.support.server import HttpPerson, gunicorn, migrate
from tests.web.test_bad_input import THREES, row_counts

# Past 64 bits, past the largest BIGINT and INTEGER, zero, signs, digits that are not ASCII.
ODD_IDS = [
    "99999999999999999999",
    "9223372036854775808",
    "9223372036854775807",
    "2147483648",
    "0",
    "00",
    "-1",
    "+1",
    "1e3",
    "²",
    "١",
    "١٢",
    "߁",
    "1\x00",
]


@pytest.fixture
def stored(member, checkup):  # type: ignore[no-untyped-def]
    """A member with one stored check-up (id), so odd ids meet real rows nearby."""
    response = member.submit("checkup", keyed_answers(checkup, THREES))
    return member, member.result_id(response)


def test_odd_ids_in_urls_are_404(stored, app) -> None:
    """Every route that takes an id answers 404 (400 with a NUL) to one that is no row id."""
    member, _ = stored
    before = row_counts(app)
    csrf = member.csrf("/account")
    for raw in ODD_IDS:
        odd = quote(raw)
        assert member.client.get(f"/results/{odd}").status_code in (400, 404), raw
        share = member.client.post(
            f"/results/{odd}/share", data={"csrf_token": csrf, "share": "yes"}
        )
        assert share.status_code in (400, 404), raw
        drop = member.client.post(f"/plans/{odd}/drop", data={"csrf_token": csrf})
        assert drop.status_code in (400, 404), raw
    assert row_counts(app) == before


def test_the_largest_id_is_a_plain_404(stored, app) -> None:
    """2**31 - 1, the largest id an INTEGER column holds, names no row: a 404 on both."""
    member, _ = stored
    largest = str(2**31 - 1)
    assert member.client.get(f"/results/{largest}").status_code == 404
    csrf = member.csrf("/account")
    assert (
        member.client.post(f"/plans/{largest}/drop", data={"csrf_token": csrf}).status_code == 404
    )


def test_odd_ids_in_forms_are_400(stored, app) -> None:
    """A plan's assessment id or a questionnaire version that is not an id: 400, nothing kept."""
    member, assessment_id = stored
    page = member.client.get(f"/results/{assessment_id}").get_data(as_text=True)
    strategy_id = re.search(r'name="strategy_id" value="(\w+)"', page).group(1)
    before = row_counts(app)
    csrf = member.csrf("/account")
    hidden = member.open_form("checkup")
    for raw in ODD_IDS:
        plan = member.client.post(
            "/plans", data={"csrf_token": csrf, "strategy_id": strategy_id, "assessment_id": raw}
        )
        assert plan.status_code == 400, raw
        response = member.client.post(
            "/checkup/checkup", data={**hidden, **_answers(member), "version": raw}
        )
        assert response.status_code == 400, raw
    assert row_counts(app) == before


def _answers(member) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from questionnaires.loader import load_catalog

    return keyed_answers(load_catalog().latest("checkup"), THREES)


NUL = "a\x00b"


def test_nul_bytes_in_account_fields_are_400(person, app) -> None:
    """A NUL byte in a user name, password or confirmation: 4xx, no account is made."""
    before = row_counts(app)
    for field in ("username", "password", "confirm"):
        fields = {"username": "robin", "password": PASSWORD, "confirm": PASSWORD}
        fields[field] = fields[field] + "\x00"
        response = person.client.post(
            "/register", data={"csrf_token": person.csrf("/register"), **fields}
        )
        assert response.status_code == 400, field
        if field == "confirm":
            continue
        login = person.client.post(
            "/login",
            data={
                "csrf_token": person.csrf("/login"),
                "username": fields["username"],
                "password": fields["password"],
            },
        )
        assert login.status_code == 400, field
    assert row_counts(app) == before


def test_nul_bytes_in_every_form_field_of_a_member_are_400(stored, app) -> None:
    """Deletion, sharing, plans, the questionnaire, the invite: a NUL anywhere is a 4xx."""
    member, assessment_id = stored
    csrf = member.csrf("/account")
    hidden = member.open_form("checkup")
    answers = _answers(member)
    item = next(iter(answers))
    posts = [
        ("/account/delete", {"password": PASSWORD + "\x00"}),
        ("/account/delete", {"password": "\x00"}),
        (f"/results/{assessment_id}/share", {"share": "yes\x00"}),
        ("/plans", {"strategy_id": NUL, "assessment_id": str(assessment_id)}),
        ("/plans", {"strategy_id": "x", "assessment_id": f"{assessment_id}\x00"}),
        ("/checkup/checkup", {**hidden, **answers, "submission_token": NUL}),
        ("/checkup/checkup", {**hidden, **answers, item: "3\x00"}),
        ("/checkup/checkup", {**hidden, **answers, f"{item}\x00": "3"}),
        ("/partner/invite", {"extra": NUL}),
        ("/partner/unlink", {"csrf_token\x00": "x"}),
        ("/logout", {"next": NUL}),
        ("/partner/join/abc\x00def", {}),
        ("/checkup/check\x00up", {**hidden, **answers}),
    ]
    before = row_counts(app)
    for path, fields in posts:
        response = member.client.post(path, data={"csrf_token": csrf, **fields})
        assert 400 <= response.status_code < 500, (path, fields, response.status_code)
    for path in (
        "/partner/join/abc%00def",
        "/results/1%00",
        "/history?page=%00",
        "/login?next=%00",
    ):
        response = member.client.get(path)
        assert 400 <= response.status_code < 500, (path, response.status_code)
    assert row_counts(app) == before
    assert member.client.get("/history").status_code == 200  # still signed in, still whole


# --- chunked bodies, against a real gunicorn over raw sockets -----------------------------

SECRET = "safe_afraid=yes&SECRET-ANSWER-MARK"


def _exchange(port: int, request: bytes, close_early: bool = False) -> bytes:
    """Send raw bytes and read the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
        connection.sendall(request)
        if close_early:
            connection.shutdown(socket.SHUT_WR)
        answer = b""
        while True:
            try:
                part = connection.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not part:
                break
            answer += part
            if b"\r\n\r\n" in answer and b"</html>" in answer:
                break
    return answer


def wait_for_log(server, line: str) -> str:  # type: ignore[no-untyped-def]
    """The server's log once it holds ``line`` (gunicorn writes it just after answering)."""
    deadline = time.monotonic() + 10
    while line not in (log := server.log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert line in log, log[-2000:]
    return log


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _chunked_post(path: str, body_chunks: bytes, cookie: str = "") -> bytes:
    headers = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/x-www-form-urlencoded",
        "Transfer-Encoding: chunked",
        *([f"Cookie: {cookie}"] if cookie else []),
        "",
        "",
    ]
    return "\r\n".join(headers).encode() + body_chunks


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):  # type: ignore[no-untyped-def]
    """gunicorn as `make run` serves it (threads), on its own SQLite file."""
    folder = tmp_path_factory.mktemp("chunked")
    url = f"sqlite:///{folder / 'chunked.sqlite3'}"
    migrate(url, folder)
    environment = {"RATELIMIT_ENABLED": "0", "GUNICORN_CMD_ARGS": "--threads 4"}
    with gunicorn(url, folder, workers=1, environment=environment) as running:
        yield running


def _port(server) -> int:  # type: ignore[no-untyped-def]
    return int(server.url.rsplit(":", 1)[1])


MALFORMED = {
    "chunk size that is not hex": b"zz\r\n" + SECRET.encode() + b"\r\n0\r\n\r\n",
    "chunk longer than it said": b"5\r\n" + SECRET.encode() + b"\r\n0\r\n\r\n",
    "a negative chunk size": b"-5\r\n" + SECRET.encode() + b"\r\n0\r\n\r\n",
    "cut off in the middle": b"400\r\n" + SECRET.encode(),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_chunked_body_is_400_and_never_logged(server, name) -> None:
    """A broken chunked body answers 400 with the site's page; the log holds none of it."""
    request = _chunked_post("/checkup/checkup", MALFORMED[name])
    answer = _exchange(_port(server), request, close_early=name == "cut off in the middle")
    assert _status(answer) == 400, answer[:200]
    assert b"Something in that request was not right" in answer
    log = wait_for_log(server, "POST /checkup/checkup")
    assert "SECRET-ANSWER-MARK" not in log
    assert "safe_afraid" not in log
    assert "Traceback" not in log


def test_a_chunked_body_over_one_mib_is_413(server) -> None:
    """Over the 1 MiB limit, chunked or not, the answer is 413, not 400."""
    big = b"padding=" + b"x" * (1024 * 1024)
    chunks = b"".join(_chunk(big[i : i + 65536]) for i in range(0, len(big), 65536))
    answer = _exchange(_port(server), _chunked_post("/login", chunks + b"0\r\n\r\n"))
    assert _status(answer) == 413, answer[:200]
    assert b"larger than this site accepts" in answer


def test_a_good_chunked_body_still_works(server) -> None:
    """A well-formed chunked sign-up is read whole and stored, as with a Content-Length."""
    page = _exchange(
        _port(server), b"GET /register HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    head, _, html = page.partition(b"\r\n\r\n")
    cookie = re.search(rb"Set-Cookie: (session=[^;]+)", head).group(1).decode()
    csrf = hidden_fields(html.decode())["csrf_token"]
    form = f"csrf_token={csrf}&username=chunky&password={quote(PASSWORD)}&confirm={quote(PASSWORD)}"
    body = form.encode()
    chunks = _chunk(body[:20]) + _chunk(body[20:]) + b"0\r\n\r\n"
    answer = _exchange(_port(server), _chunked_post("/register", chunks, cookie))
    assert _status(answer) == 303, answer[:400]


def test_what_gunicorn_cannot_parse_is_not_quoted_in_its_log(server) -> None:
    """A request gunicorn itself refuses is logged as refused, without the bytes it held."""
    request = (
        b"POST /checkup/checkup HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Bad Name SECRET-ANSWER-MARK: yes\r\nContent-Length: 0\r\n\r\n"
    )
    answer = _exchange(_port(server), request)
    assert _status(answer) == 400
    log = wait_for_log(server, "Invalid request from ip=")
    assert "SECRET-ANSWER-MARK" not in log
    assert "(request data not logged)" in log


# --- a body cut short: never read as a whole post ---------------------------------------


def test_a_body_shorter_than_its_length_is_400_and_stores_nothing(server, checkup) -> None:
    """A check-up cut off before its safety answers: a 400, never stored with "skip" there."""
    person = HttpPerson(server.url)
    assert person.register("cutshort").status == 303
    fields = person.form("/checkup/checkup")
    answers = keyed_answers(checkup, levels())
    safety = {item.id: "no" for item in checkup.safety} | {checkup.safety[0].id: "yes"}
    whole = urlencode({**fields, **answers, **safety}).encode()
    cut = whole[: whole.index(checkup.safety[0].id.encode())]  # the answers, not the safety ones
    jar = next(h for h in person.opener.handlers if hasattr(h, "cookiejar")).cookiejar
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
    request = (
        "POST /checkup/checkup HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(whole)}\r\nCookie: {cookies}\r\n\r\n"
    ).encode() + cut
    answer = _exchange(_port(server), request, close_early=True)
    assert _status(answer) == 400, answer[:300]
    history = person.request("/history")
    assert history.status == 200 and "/results/" not in history.body, "nothing was stored"
    # Sent whole, the same post is stored (and flagged): the refusal was about the cut alone.
    stored = person.request("/checkup/checkup", {**fields, **answers, **safety})
    assert stored.status == 303, stored.body[:300]
