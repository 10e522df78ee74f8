"""Many people at once, and a worker killed mid-flight, on SQLite and PostgreSQL for real."""

from __future__ import annotations

import http.client
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from assessment.core.models import Answer, Assessment, DimensionScore
from tests.conftest import (
    POSTGRES_URL,
    THREES,
    keyed_answers,
)
from tests.support.server import HttpPerson, gunicorn, migrated_database

pytestmark = pytest.mark.slow

USERS = 10
CHECKUPS_EACH = 5
NO_LIMITS = {"RATELIMIT_ENABLED": "0"}


def database(kind: str, tmp_path: Path) -> AbstractContextManager[str]:
    """A migrated, empty database of this kind (its own file name here); yields its URL."""
    return migrated_database(kind, tmp_path, "load.sqlite3")


def incomplete_assessments(url: str, items: int, dimensions: int) -> tuple[int, int]:
    """(assessments stored, how many lack an answer or a score)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        total = connection.scalar(select(func.count()).select_from(Assessment))
        answers = (
            select(func.count())
            .select_from(Answer)
            .where(Answer.assessment_id == Assessment.id)
            .scalar_subquery()
        )
        scores = (
            select(func.count())
            .select_from(DimensionScore)
            .where(DimensionScore.assessment_id == Assessment.id)
            .scalar_subquery()
        )
        broken = connection.scalar(
            select(func.count())
            .select_from(Assessment)
            .where((answers != items) | (scores != dimensions))
        )
    engine.dispose()
    return total, broken


@pytest.mark.gunicorn
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_fifty_concurrent_checkups_are_all_stored_whole(kind, tmp_path, checkup) -> None:
    """Do 10 people posting 50 check-ups at once, on 2 workers, store exactly 50, all whole?"""
    answers = keyed_answers(checkup, THREES)

    def take_checkups(person: HttpPerson) -> list[int]:
        return [person.submit("checkup", answers).status for _ in range(CHECKUPS_EACH)]

    with database(kind, tmp_path) as url:
        with gunicorn(url, tmp_path, 2, NO_LIMITS) as server:
            people = [HttpPerson(server.url) for _ in range(USERS)]
            for index, person in enumerate(people):
                assert person.register(f"load{index}").status == 303
            with ThreadPoolExecutor(USERS) as pool:
                statuses = [s for batch in pool.map(take_checkups, people) for s in batch]
        assert statuses == [303] * USERS * CHECKUPS_EACH
        stored = incomplete_assessments(url, len(checkup.items), len(checkup.dimensions))
    assert stored == (50, 0)


@pytest.mark.gunicorn
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_same_form_posted_twice_at_once_stores_one(kind, tmp_path, checkup) -> None:
    """Does a double click that reaches two workers at the same moment store one assessment?"""
    answers = keyed_answers(checkup, THREES)
    start = threading.Barrier(4)
    with database(kind, tmp_path) as url:
        with gunicorn(url, tmp_path, 2, NO_LIMITS) as server:
            person = HttpPerson(server.url)
            person.register("doubleclick")
            hidden = person.form("/checkup/checkup")

            def post() -> tuple[int, str]:
                start.wait()
                reply = person.submit("checkup", answers, hidden)
                return reply.status, reply.headers.get("Location", "")

            with ThreadPoolExecutor(4) as pool:
                replies = list(pool.map(lambda _: post(), range(4)))
        stored = incomplete_assessments(url, len(checkup.items), len(checkup.dimensions))
    assert {status for status, _ in replies} == {303}
    assert len({location for _, location in replies}) == 1
    assert stored == (1, 0)


@pytest.mark.gunicorn
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_killed_worker_leaves_no_partial_assessment(kind, tmp_path, checkup) -> None:
    """Does SIGKILL to a worker in the middle of submissions leave only whole assessments?"""
    answers = keyed_answers(checkup, THREES)

    def keep_submitting(person: HttpPerson, stop: float) -> int:
        sent = 0
        while time.monotonic() < stop:
            try:
                person.submit("checkup", answers)
                sent += 1
            except (OSError, http.client.HTTPException):
                pass  # the worker serving this request was killed (maybe mid-body): expected
        return sent

    with database(kind, tmp_path) as url:
        with gunicorn(url, tmp_path, 2, NO_LIMITS) as server:
            people = [HttpPerson(server.url) for _ in range(4)]
            for index, person in enumerate(people):
                person.register(f"killed{index}")
            stop = time.monotonic() + 4
            with ThreadPoolExecutor(len(people)) as pool:
                running = [pool.submit(keep_submitting, person, stop) for person in people]
                time.sleep(1.5)
                os.kill(server.worker_pids()[0], signal.SIGKILL)
                sent = sum(future.result() for future in running)
            alive = server.process.poll() is None
        total, broken = incomplete_assessments(url, len(checkup.items), len(checkup.dimensions))
    assert alive, "the gunicorn master survives a worker's death"
    assert sent > 0 and total > 0
    assert broken == 0


def test_postgres_is_reachable_for_these_tests() -> None:
    """CI must fail, not skip, when PostgreSQL is missing."""
    engine = create_engine(POSTGRES_URL)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT 1")) == 1
    engine.dispose()
