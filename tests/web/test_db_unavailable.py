"""When the database cannot be written: a calm 503 within 10 s, answers kept, stored once after.

Each way it happens for real: SQLite locked by another process, a read-only SQLite file,
PostgreSQL gone (its connections cut and its port closed) and back, PostgreSQL never there.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, make_url, select
from werkzeug.test import TestResponse

from app import create_app
from assessment.core.models import Answer, Assessment, PlanCheckin
from tests.conftest import (
    PASSWORD,
    TEST_DATABASE_URL,
    Person,
    app_settings,
    hidden_fields,
    keyed_answers,
    postgres_schema,
)
from tests.support.server import HttpPerson, Reply, free_port, gunicorn, migrate
from tests.support.tcp_proxy import TcpProxy

# The 503 comes within 10 s (docs/architecture.md#database); a slower answer fails the test.
TEN_SECONDS = 10
POSTGRES_URL = TEST_DATABASE_URL or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CALM = "Rekindle is not available right now"
HALF_SAVED = "nothing you sent was half-saved"
SOME_ANSWERS = dict.fromkeys(
    ("communication", "emotional_needs", "stress", "romance", "intimacy", "support"), 4
)


class _Radios(HTMLParser):
    """The radio buttons a page shows checked, and its hidden fields."""

    def __init__(self) -> None:
        super().__init__()
        self.checked: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "radio" and "checked" in found:
            self.checked[found["name"] or ""] = found.get("value") or ""


def checked_answers(html: str) -> dict[str, str]:
    """Field name -> the value shown checked."""
    parser = _Radios()
    parser.feed(html)
    return parser.checked


def shows_every_answer(
    html: str, answers: Mapping[str, str], token: str, carried: Mapping[str, str] | None = None
) -> bool:
    """Is every answer still checked (or carried along hidden), with the same token?"""
    hidden = hidden_fields(html)
    return (
        checked_answers(html) == dict(answers)
        and hidden["submission_token"] == token
        and all(hidden.get(name) == value for name, value in (carried or {}).items())
    )


def trying_a_plan(person: HttpPerson, checkup) -> tuple[dict[str, str], dict[str, str]]:  # type: ignore[no-untyped-def]
    """Take a check-up and choose something to try; the next form and its check-in answers."""
    first = person.submit("checkup", keyed_answers(checkup, dict.fromkeys(SOME_ANSWERS, 1)))
    result = re.search(r"/results/(\d+)$", first.headers["Location"])
    assert result, first.status
    csrf = person.form(f"/results/{result[1]}")["csrf_token"]
    offered = re.search(r'data-strategy="(\w+)"', person.request(f"/results/{result[1]}").body)
    assert offered, "the result offers something to try"
    chosen = {"csrf_token": csrf, "strategy_id": offered[1], "assessment_id": result[1]}
    assert person.request("/plans", chosen).status == 303
    page = person.request("/checkup/checkup").body
    plan = re.search(r'name="plan_(\d+)_tried"', page)
    assert plan, "the questionnaire asks about the plan"
    return hidden_fields(page), {f"plan_{plan[1]}_tried": "yes", f"plan_{plan[1]}_helped": "yes"}


def within_ten_seconds(
    person: HttpPerson, path: str, data: Mapping[str, str] | None = None
) -> Reply:
    """One request that must be answered within 10 s (a timeout raises and fails the test)."""
    body = None if data is None else urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(person.base_url + path, data=body)
    try:
        with person.opener.open(request, timeout=TEN_SECONDS) as response:
            return Reply(response.status, dict(response.headers), response.read().decode())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read().decode())


def stored_assessments(url: str) -> tuple[int, int, int]:
    """(assessments, answers, plan check-ins) in the database, counted outside the app."""
    engine = create_engine(url)
    with engine.connect() as connection:
        counts = (
            connection.scalar(select(func.count()).select_from(Assessment)),
            connection.scalar(select(func.count()).select_from(Answer)),
            connection.scalar(select(func.count()).select_from(PlanCheckin)),
        )
    engine.dispose()
    return counts


def assert_calm_page(reply: Reply) -> None:
    """A 503 with the calm message, a hint to come back, and no trace of the failure."""
    assert reply.status == 503, reply.body[:500]
    assert CALM in reply.body and HALF_SAVED in reply.body.lower()
    assert "Traceback" not in reply.body and "sqlalchemy" not in reply.body.lower()
    assert reply.headers.get("Retry-After")


@contextmanager
def write_lock_held(database: Path) -> Iterator[None]:
    """Another process's write transaction on the SQLite file, held until the block ends."""
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@contextmanager
def read_only(database: Path) -> Iterator[None]:
    """The SQLite file cannot be written: mode 0444 and, for root (who ignores modes), immutable."""
    os.chmod(database, 0o444)
    as_root = os.geteuid() == 0
    if as_root:
        subprocess.run(["chattr", "+i", str(database)], check=True)
    try:
        yield
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", str(database)], check=True)
        os.chmod(database, 0o644)


@pytest.mark.slow
def test_sqlite_locked_by_another_process(tmp_path, checkup) -> None:
    """While another process holds the write lock: 503s within 10 s, then stored once."""
    database = tmp_path / "locked.sqlite3"
    url = f"sqlite:///{database}"
    migrate(url, tmp_path)
    answers = keyed_answers(checkup, SOME_ANSWERS)
    # Threads, as `make run` serves: the three writes below wait for the lock side by side,
    # so the test waits one busy timeout, not three in a row.
    environment = {"RATELIMIT_ENABLED": "0", "GUNICORN_CMD_ARGS": "--threads 4"}
    with gunicorn(url, tmp_path, 2, environment) as server:
        person = HttpPerson(server.url)
        assert person.register("locked").status == 303
        hidden, checkin = trying_a_plan(person, checkup)
        form = {**hidden, **answers, **checkin}
        with write_lock_held(database), ThreadPoolExecutor(3) as pool:
            health = pool.submit(within_ten_seconds, person, "/healthz")
            reshown_soon = pool.submit(within_ten_seconds, person, "/checkup/checkup", form)
            invite = pool.submit(
                within_ten_seconds, person, "/partner/invite", {"csrf_token": hidden["csrf_token"]}
            )
            assert person.request("/history").status == 200  # reading still works meanwhile
            # The lock is held until all three have answered (each within its 10 s).
            assert health.result().status == 503
            reshown = reshown_soon.result()
            assert reshown.status == 503
            assert HALF_SAVED in reshown.body.lower()
            assert shows_every_answer(reshown.body, answers | checkin, hidden["submission_token"])
            assert_calm_page(invite.result())
        assert stored_assessments(url) == (1, len(checkup.items), 0)
        stored = person.request("/checkup/checkup", form)
        again = person.request("/checkup/checkup", form)
        assert person.request("/healthz").status == 200
        log = server.log.read_text()
    assert stored.status == 303 and again.status == 303
    assert again.headers["Location"] == stored.headers["Location"]
    assert stored_assessments(url) == (2, 2 * len(checkup.items), 1)
    assert "Traceback" not in log


def answered_within_ten_seconds(call: Callable[[], TestResponse]) -> TestResponse:
    """Run one in-process request; if it has not answered within 10 s, the test fails."""
    outcome: list[TestResponse | BaseException] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:  # handed to the test below
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)  # a hung request cannot hang pytest
    worker.start()
    worker.join(TEN_SECONDS)
    assert outcome, "no answer within 10 s"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def test_read_only_sqlite_file(tmp_path, migrated_sqlite, checkup) -> None:
    """A database file that cannot be written: 503s, answers kept, stored once when writable."""
    database = tmp_path / "readonly.sqlite3"
    shutil.copyfile(migrated_sqlite, database)
    app = create_app(app_settings(tmp_path, f"sqlite:///{database}"))
    client = app.test_client()
    person = Person(client)
    assert person.register().status_code == 303
    hidden = person.open_form("checkup")
    answers = keyed_answers(checkup, SOME_ANSWERS)
    form = {**hidden, **answers}
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    engine.dispose()  # connections opened from now on see the file as it is
    with read_only(database):
        health = answered_within_ten_seconds(lambda: client.get("/healthz"))
        reshown = answered_within_ten_seconds(lambda: client.post("/checkup/checkup", data=form))
        invite = client.post("/partner/invite", data={"csrf_token": hidden["csrf_token"]})
        history = client.get("/history")
        engine.dispose()
    assert health.status_code == 503
    assert reshown.status_code == 503
    page = reshown.get_data(as_text=True)
    assert HALF_SAVED in page.lower() and shows_every_answer(
        page, answers, hidden["submission_token"]
    )
    assert_calm_page(Reply(invite.status_code, dict(invite.headers), invite.get_data(as_text=True)))
    assert history.status_code == 200
    assert stored_assessments(f"sqlite:///{database}") == (0, 0, 0)
    assert client.post("/checkup/checkup", data=form).status_code == 303
    assert client.post("/checkup/checkup", data=form).status_code == 303
    assert client.get("/healthz").status_code == 200
    engine.dispose()
    assert stored_assessments(f"sqlite:///{database}") == (1, len(checkup.items), 0)


@pytest.mark.slow
def test_postgresql_gone_and_back(tmp_path, checkup) -> None:
    """PostgreSQL's connections cut and its port closed: 503s within 10 s; back: stored once."""
    answers = keyed_answers(checkup, SOME_ANSWERS)
    proxy = TcpProxy(("127.0.0.1", make_url(POSTGRES_URL).port or 5432), free_port())
    proxy.start()
    with postgres_schema(POSTGRES_URL) as direct:
        migrate(direct, tmp_path)
        through_proxy = make_url(direct).set(host="127.0.0.1", port=proxy.port)
        url = through_proxy.render_as_string(hide_password=False)
        try:
            with gunicorn(url, tmp_path, 2, {"RATELIMIT_ENABLED": "0"}) as server:
                person = HttpPerson(server.url)
                assert person.register("gone").status == 303
                hidden, checkin = trying_a_plan(person, checkup)
                form = {**hidden, **answers, **checkin}
                proxy.stop()
                assert within_ten_seconds(person, "/healthz").status == 503
                assert_calm_page(within_ten_seconds(person, "/history"))
                assert within_ten_seconds(person, "/no-such-page").status == 404
                reshown = within_ten_seconds(person, "/checkup/checkup", form)
                assert reshown.status == 503
                # The plans could not be read, so their check-in answers are carried unseen.
                token = hidden["submission_token"]
                assert shows_every_answer(reshown.body, answers, token, carried=checkin)
                proxy.start()
                stored = person.request("/checkup/checkup", form)
                again = person.request("/checkup/checkup", form)
                health = person.request("/healthz")
                log = server.log.read_text()
        finally:
            proxy.stop()
        counts = stored_assessments(direct)
    assert stored.status == 303 and again.headers["Location"] == stored.headers["Location"]
    assert health.status == 200
    assert counts == (2, 2 * len(checkup.items), 1)
    assert "Traceback" not in log


def test_postgresql_never_there(tmp_path) -> None:
    """Pointed at a port where nothing listens: pages that need it say so calmly, never a 500."""
    nowhere = make_url(POSTGRES_URL).set(host="127.0.0.1", port=free_port())
    app = create_app(app_settings(tmp_path, nowhere.render_as_string(hide_password=False)))
    client = app.test_client()
    assert client.get("/").status_code == 200
    health = answered_within_ten_seconds(lambda: client.get("/healthz"))
    assert health.status_code == 503
    csrf = hidden_fields(client.get("/register").get_data(as_text=True))["csrf_token"]
    reply = answered_within_ten_seconds(
        lambda: client.post(
            "/register",
            data={
                "csrf_token": csrf,
                "username": "nobody",
                "password": PASSWORD,
                "confirm": PASSWORD,
            },
        ),
    )
    assert_calm_page(Reply(reply.status_code, dict(reply.headers), reply.get_data(as_text=True)))


def test_postgresql_that_never_answers(tmp_path) -> None:
    """A server that takes the connection but never replies: 503 within 10 s, not a hang."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the handshake completes; nothing is ever said
        mute = make_url(POSTGRES_URL).set(host="127.0.0.1", port=silent.getsockname()[1])
        app = create_app(app_settings(tmp_path, mute.render_as_string(hide_password=False)))
        client = app.test_client()
        health = answered_within_ten_seconds(lambda: client.get("/healthz"))
    assert health.status_code == 503
