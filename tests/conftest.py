"""Shared fixtures: a fresh app and database per test, and a person driving the site.

Every test gets its own SQLite file, copied from one built by the real Alembic
migrations once per run, so tests are isolated and the schema is the one users get.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from playwright.sync_api import Browser
from sqlalchemy import create_engine, func, make_url, select, text
from werkzeug.serving import make_server
from werkzeug.test import TestResponse

from app import create_app
from questionnaires.loader import load_catalog
from questionnaires.models import DIMENSION_IDS, Questionnaire
from tests.support.browser import launch_browser

PASSWORD = "a long walk by the river"
# Test files that start servers, browsers or nginx: under `make test` (pytest-xdist with
# --dist loadgroup) each goes to one worker whole, so its module's server starts once.
WHOLE_FILES = ("tests/db/", "tests/deploy/", "tests/e2e/")
# Set (as .ci/run does) to run every web test against PostgreSQL, each in its own schema.
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep each server, browser and nginx file on one worker, and start those first: they
    are the longest, and the many short unit and web tests then fill both cores to the end."""
    for item in items:
        file = item.nodeid.split("::", 1)[0]
        if file.startswith(WHOLE_FILES):
            item.add_marker(pytest.mark.xdist_group(file))
    items.sort(key=lambda item: not item.nodeid.startswith(WHOLE_FILES))


def app_settings(instance: Path, database_uri: str) -> dict[str, Any]:
    """Settings for one test's app; each override says why it differs from production."""
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_uri,
        # A fixed key, so one test can build a second app that reads the same sessions.
        "SECRET_KEY": "test-secret-key-not-for-production",
        # Rate limits get their own tests; elsewhere they would only make tests order-dependent.
        "RATELIMIT_ENABLED": False,
        "QUICK_EXIT_URL": "/healthz",
        # One round of PBKDF2 instead of scrypt: hashing is most of a sign-up's time, and the
        # tests check who may sign in, not how hard a stolen hash is to guess (production
        # keeps scrypt: tests/web/test_accounts.py checks the default).
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
    }


class TemplatesCompiledOnce(BytecodeCache):
    """Jinja's compiled templates kept in memory for the whole run and shared by every app.

    Each test builds its own app, and each app's Jinja environment would otherwise parse and
    compile every template it renders again: a quarter of the web tests' time. Jinja checks
    each template's source against the checksum kept with its code, so an edited template is
    compiled afresh; every test app has the same Jinja settings, so the code is the same.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES_COMPILED_ONCE = TemplatesCompiledOnce()


def built_app(settings: Mapping[str, Any]) -> Flask:
    """``create_app`` with these settings, its templates compiled once per run."""
    application = create_app(dict(settings))
    application.jinja_env.bytecode_cache = TEMPLATES_COMPILED_ONCE
    return application


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file built once by ``flask db upgrade``, copied for each test."""
    from flask_migrate import upgrade

    folder = tmp_path_factory.mktemp("template-db")
    database = folder / "template.sqlite3"
    app = create_app(app_settings(folder, f"sqlite:///{database}"))
    with app.app_context():
        upgrade()
    with app.app_context():
        from assessment.core.extensions import db

        db.engine.dispose()
    return database


def with_search_path(url: str, schema: str) -> str:
    """The PostgreSQL URL with every connection's search_path set to one schema."""
    return (
        make_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A fresh, uniquely named schema for one test, dropped afterwards; yields its URL."""
    schema = f"test_{uuid.uuid4().hex[:16]}"
    engine = create_engine(base_url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield with_search_path(base_url, schema)
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


# The PostgreSQL the database tests use: TEST_DATABASE_URL when set (as .ci/run sets it).
POSTGRES_URL = TEST_DATABASE_URL or "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def empty_database(kind: str, folder: Path, name: str = "test.sqlite3") -> Iterator[str]:
    """An empty database of this kind ("sqlite" file or a fresh PostgreSQL schema); its URL."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / name}"
        return
    with postgres_schema(POSTGRES_URL) as url:
        yield url


def dispose(application: Flask) -> None:
    """Close the app's sessions and connections (a test's database can then go away)."""
    with application.app_context():
        from assessment.core.extensions import db

        db.session.remove()
        db.engine.dispose()


@contextmanager
def app_on_own_database(folder: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """An app with its instance in ``folder`` and a database of its own: a copy of the migrated
    SQLite file, or a fresh migrated PostgreSQL schema when TEST_DATABASE_URL is set."""
    if TEST_DATABASE_URL:
        from flask_migrate import upgrade

        with postgres_schema(TEST_DATABASE_URL) as url:
            application = built_app(app_settings(folder, url))
            with application.app_context():
                upgrade()
            yield application
            dispose(application)
        return
    application = sqlite_app(folder, request.getfixturevalue("migrated_sqlite"))
    yield application
    dispose(application)


@pytest.fixture
def app(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """A fresh app with its own database (SQLite file, or a PostgreSQL schema) and instance."""
    with app_on_own_database(tmp_path, request) as application:
        yield application


def sqlite_app(folder: Path, template: Path, overrides: Mapping[str, Any] | None = None) -> Flask:
    """An app on its own copy of the migrated SQLite file in ``folder`` (test settings)."""
    database = folder / "rekindle.sqlite3"
    shutil.copyfile(template, database)
    return built_app(app_settings(folder, f"sqlite:///{database}") | dict(overrides or {}))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like client of the app (cookies kept between requests)."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    """Runs the app's CLI commands."""
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def catalog():  # type: ignore[no-untyped-def]
    """The shipped questionnaire definitions."""
    return load_catalog()


@pytest.fixture(scope="session")
def checkup(catalog) -> Questionnaire:  # type: ignore[no-untyped-def]
    """The full check-up definition."""
    return catalog.latest("checkup")


@pytest.fixture(scope="session")
def pulse(catalog) -> Questionnaire:  # type: ignore[no-untyped-def]
    """The pulse definition."""
    return catalog.latest("pulse")


_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([a-zA-Z_:-]+)="([^"]*)"')


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of a page (csrf_token, submission_token, version)."""
    fields = {}
    for tag in _INPUT.findall(html):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden" and "name" in attributes:
            fields[attributes["name"]] = attributes.get("value", "")
    return fields


def keyed_answers(definition: Questionnaire, keyed: Mapping[str, int]) -> dict[str, str]:
    """Form answers that give each dimension the keyed value asked for (reverse items flipped)."""
    low, high = definition.scale.min, definition.scale.max
    answers = {}
    for item in definition.items:
        value = keyed[item.dimension]
        answers[item.id] = str(low + high - value if item.reverse else value)
    return answers


class Person:
    """Someone using the site through the test client, the way a browser would post."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def csrf(self, path: str = "/login") -> str:
        """A CSRF token from a page's form."""
        page = self.client.get(path, follow_redirects=True)
        return hidden_fields(page.get_data(as_text=True))["csrf_token"]

    def register(
        self,
        username: str = "alex",
        password: str = PASSWORD,
        confirm: str | None = None,
        next_path: str | None = None,
    ) -> TestResponse:
        """Create an account (which also signs in), going on to ``next_path`` if given."""
        return self.client.post(
            "/register",
            query_string={} if next_path is None else {"next": next_path},
            data={
                "csrf_token": self.csrf("/register"),
                "username": username,
                "password": password,
                "confirm": password if confirm is None else confirm,
            },
        )

    def login(
        self, username: str = "alex", password: str = PASSWORD, next_path: str | None = None
    ) -> TestResponse:
        """Sign in, going on to ``next_path`` if given."""
        return self.client.post(
            "/login",
            query_string={} if next_path is None else {"next": next_path},
            data={"csrf_token": self.csrf("/login"), "username": username, "password": password},
        )

    def choose_plan(self, assessment_id: int | str, strategy_id: str) -> TestResponse:
        """Choose a strategy offered by a result as a plan, as its button posts it."""
        return self.client.post(
            "/plans",
            data={
                "csrf_token": self.csrf("/account"),
                "strategy_id": strategy_id,
                "assessment_id": str(assessment_id),
            },
        )

    def logout(self) -> TestResponse:
        """Sign out."""
        return self.client.post("/logout", data={"csrf_token": self.csrf("/account")})

    def open_form(self, qid: str) -> dict[str, str]:
        """GET the questionnaire and return its hidden fields."""
        response = self.client.get(f"/checkup/{qid}")
        assert response.status_code == 200, response.status_code
        return hidden_fields(response.get_data(as_text=True))

    def submit(
        self,
        qid: str,
        answers: Mapping[str, str],
        safety: Mapping[str, str] | None = None,
        extra: Mapping[str, str] | None = None,
        hidden: Mapping[str, str] | None = None,
    ) -> TestResponse:
        """Open the questionnaire and post these answers with the page's hidden fields."""
        data = dict(hidden if hidden is not None else self.open_form(qid))
        data.update(answers)
        data.update(safety or {})
        data.update(extra or {})
        return self.client.post(f"/checkup/{qid}", data=data)

    def take(
        self, definition: Questionnaire, keyed: Mapping[str, int], flagged: bool = False
    ) -> int:
        """Answer a questionnaire through the site with these keyed levels; its result id."""
        answers = keyed_answers(definition, keyed)
        return self.result_id(
            self.submit(definition.id, answers, safety_answers(definition, flagged))
        )

    def delete_account(self, password: str = PASSWORD) -> TestResponse:
        """Delete the account from the Account page's form."""
        return self.client.post(
            "/account/delete", data={"csrf_token": self.csrf("/account"), "password": password}
        )

    def result_id(self, response: TestResponse) -> int:
        """The assessment id a successful submission redirected to."""
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        match = re.search(r"/results/(\d+)$", response.headers["Location"])
        assert match, response.headers["Location"]
        return int(match.group(1))


@pytest.fixture
def person(client: FlaskClient) -> Person:
    """A person on the site (not yet registered)."""
    return Person(client)


@pytest.fixture
def member(person: Person) -> Person:
    """A registered, signed-in person."""
    assert person.register().status_code == 303
    return person


# --- Factories and helpers shared by every test folder (CTFd's tests/helpers.py style) ----

DIMENSIONS = DIMENSION_IDS


def levels(**overrides: int) -> dict[str, int]:
    """An answer set: keyed level 3 in every dimension, except where given (1..5)."""
    return dict.fromkeys(DIMENSIONS, 3) | overrides


THREES = levels()
# A spread of keyed levels with hand-computed scores: 100 * (mean keyed - 1) / 4, so a
# dimension answered all-2 scores 25.0, all-3 50.0, all-4 75.0 ...
SPREAD = levels(communication=2, stress=4, romance=1, intimacy=5, support=4)
SPREAD_SCORES = {
    "communication": 25.0,
    "emotional_needs": 50.0,
    "stress": 75.0,
    "romance": 0.0,
    "intimacy": 100.0,
    "support": 75.0,
}


def safety_answers(definition: Questionnaire, flagged: bool = False) -> dict[str, str]:
    """ "no" to every safety item, or a "yes" to the first one when ``flagged``."""
    answers = {item.id: "no" for item in definition.safety}
    if flagged:
        answers[definition.safety[0].id] = "yes"
    return answers


def row_counts(app: Flask) -> dict[str, int]:
    """Rows in every table the app has, so a test can say "nothing changed anywhere"."""
    from assessment.core.extensions import db

    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def figures(html: str) -> dict[str, dict[str, Any]]:
    """Chart name -> figure JSON, as the page sends it to plotly.js."""
    found = re.findall(
        r'<script type="application/json" id="chart-([\w-]+)-figure"[^>]*>(.*?)</script>',
        html,
        re.S,
    )
    return {name: json.loads(body) for name, body in found}


def radar_of(html: str) -> dict[str, Any]:
    """What the server-drawn radar on a page shows: its labels, numbers and outlines by style.

    ``names`` are the legend's, by style; ``scores`` maps a trace's style (0: the newest) to
    the numbers written at its points, in the order of the areas; ``outlines`` to its closed
    outline's points, if it closes.
    """
    import xml.etree.ElementTree as ElementTree

    found = re.search(r'<svg class="radar".*?</svg>', html, re.S)
    assert found, "no radar on the page"
    svg = ElementTree.fromstring(found.group(0))
    space = "{http://www.w3.org/2000/svg}"
    labels = [
        " ".join(span.text or "" for span in words)
        for words in svg.iter(f"{space}text")
        if words.get("class") == "radar-label"
    ]
    scores: dict[int, list[str]] = {}
    for words in svg.iter(f"{space}text"):
        kind = words.get("class", "")
        if kind.startswith("radar-score "):
            scores.setdefault(int(kind.rsplit("-", 1)[1]), []).append(words.text or "")
    outlines = {}
    for group in svg.iter(f"{space}g"):
        style = int(group.get("class", "").rsplit("-", 1)[1])
        for polygon in group.iter(f"{space}polygon"):
            if polygon.get("class") == "radar-area":
                outlines[style] = [
                    tuple(float(v) for v in pair.split(","))
                    for pair in (polygon.get("points") or "").split()
                ]
    legend = re.search(r'<figcaption class="radar-legend">(.*?)</figcaption>', html, re.S)
    names = [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li>(.*?)</li>", legend.group(1) if legend else "", re.S)
    ]
    return {
        "labels": labels,
        "names": names,
        "scores": scores,
        "outlines": outlines,
        "aria_label": svg.get("aria-label"),
    }


def make_user(app: Flask, username: str, password: str = PASSWORD) -> int:
    """A user row written directly (the test's cheap hash); returns its id."""
    from assessment.account.hashing import hash_password
    from assessment.core.extensions import db
    from assessment.core.models import User

    with app.app_context():
        user = User(username=username, password_hash=hash_password(password))
        db.session.add(user)
        db.session.commit()
        return user.id


def make_assessment(
    app: Flask,
    user_id: int,
    definition: Questionnaire,
    keyed: Mapping[str, int],
    flagged: bool = False,
    created_at: datetime | None = None,
) -> int:
    """An assessment stored through the real submission code (scored, suggested); its id."""
    from assessment.checkup.submission import store_assessment
    from assessment.core.extensions import db
    from assessment.core.models import User

    answers = {item: int(value) for item, value in keyed_answers(definition, keyed).items()}
    with app.app_context():
        stored = store_assessment(
            db.session.get_one(User, user_id),
            definition,
            app.extensions["rekindle.catalog"],
            answers,
            safety_answers(definition, flagged),
            f"factory-{uuid.uuid4().hex}",
            created_at=created_at,
        )
        return stored.id


def assert_whole_backup(target: Path, checkup: Questionnaire) -> None:
    """A backup copy passes SQLite's integrity check and holds every check-up whole: as many
    answers as check-ups times the check-up's questions (a copy taken mid-write would not)."""
    import sqlite3

    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assessments = copy.execute("SELECT count(*) FROM assessments").fetchone()[0]
        answer_rows = copy.execute("SELECT count(*) FROM answers").fetchone()[0]
        assert answer_rows == assessments * len(checkup.items)
    copy.close()


def old_checkup(
    app: Flask, username: str, version: int, keyed: Mapping[str, int], days_ago: int = 40
) -> int:
    """A check-up of an older ``version``, taken ``days_ago`` days back; its id."""
    from assessment.core.models import utcnow

    return make_assessment(
        app,
        user_id_of(app, username),
        app.extensions["rekindle.catalog"].get("checkup", version),
        keyed,
        created_at=utcnow() - timedelta(days=days_ago),
    )


def time_passes(app: Flask, user_id: int, days: float) -> None:
    """Move everything of one person ``days`` into the past, as if that much time went by.

    Every stored moment of theirs moves together (assessments, plans, check-ins and how
    long their flag lasts), so the app's own clock can stay the real one.
    """
    from assessment.core import Assessment, Plan, User, db

    shift = timedelta(days=days)
    with app.app_context():
        user = db.session.get_one(User, user_id)
        for name in ("flagged_until", "sexual_violence_until"):
            if getattr(user, name) is not None:
                setattr(user, name, getattr(user, name) - shift)
        for assessment in db.session.scalars(
            select(Assessment).where(Assessment.user_id == user_id)
        ):
            assessment.created_at -= shift
        for plan in db.session.scalars(select(Plan).where(Plan.user_id == user_id)):
            plan.created_at -= shift
            plan.closed_at = plan.closed_at - shift if plan.closed_at else None
            for checkin in plan.checkins:
                checkin.created_at -= shift
        db.session.commit()


def user_id_of(app: Flask, username: str) -> int:
    """The row id of a person, by user name."""
    from assessment.core import User, db

    with app.app_context():
        return db.session.scalars(select(User.id).where(User.username == username)).one()


@contextmanager
def live_server(app: Flask, wsgi: Callable[..., Any] | None = None) -> Iterator[str]:
    """Serve the app (or a WSGI wrapper of it) on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, wsgi or app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        dispose(app)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run (tests/support/browser.py)."""
    yield from launch_browser()
