"""A hostile export.json: odd values where ids and times belong are a 400, nothing stored.

On SQLite and on PostgreSQL, since a time that one database stores the other may refuse
(docs/architecture.md#exports).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade

from app import create_app
from tests.conftest import Person, app_settings, dispose, keyed_answers, row_counts
from tests.conftest import empty_database as database_of_kind
from tests.web.test_import import upload

Document = dict[str, Any]


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An app on a fresh, migrated database of each kind."""
    with database_of_kind(request.param, tmp_path) as url:
        application = create_app(app_settings(tmp_path, url))
        with application.app_context():
            upgrade()
        yield application
        dispose(application)


def _exported(app: Flask, checkup) -> Document:  # type: ignore[no-untyped-def]
    """Two check-ups, a plan chosen from the first and asked about in the second."""
    person = Person(app.test_client())
    assert person.register("moving-out").status_code == 303
    low = keyed_answers(checkup, {d.id: 1 for d in checkup.dimensions})
    first = person.result_id(person.submit("checkup", low))
    token = person.csrf(f"/results/{first}")
    chosen = {"csrf_token": token, "strategy_id": "com_listen_ten", "assessment_id": str(first)}
    assert person.client.post("/plans", data=chosen).status_code == 303
    page = person.client.get("/checkup/checkup").get_data(as_text=True)
    plan = re.search(r'name="plan_(\d+)_tried"', page)
    assert plan, "the second check-up asks about the plan"
    person.result_id(person.submit("checkup", low, extra={f"plan_{plan[1]}_tried": "no"}))
    document = person.client.get("/export.json?safety=yes").get_json()
    assert len(document["assessments"]) == 2 and document["plans"][0]["checkins"]
    person.delete_account()
    return document


def _plan(document: Document) -> Document:
    return document["plans"][0]


def _checkin(document: Document) -> Document:
    return _plan(document)["checkins"][0]


def _first(document: Document) -> Document:
    return document["assessments"][0]


# Where an odd value goes, and what it is.
HOSTILE: dict[str, Callable[[Document], None]] = {
    "check-in id a list": lambda d: _first(d).update(id=[_first(d)["id"]]),
    "check-in id an object": lambda d: _first(d).update(id={"id": 1}),
    "check-in id true": lambda d: _first(d).update(id=True),
    "plan chosen from a list": lambda d: _plan(d).update(chosen_from_assessment=[1]),
    "plan chosen from an object": lambda d: _plan(d).update(chosen_from_assessment={"a": 1}),
    "plan chosen from true": lambda d: _plan(d).update(chosen_from_assessment=True),
    "plan chosen from a float": lambda d: _plan(d).update(
        chosen_from_assessment=float(_first(d)["id"])
    ),
    "plan check-in at a list": lambda d: _checkin(d).update(assessment=[1, 2]),
    "plan check-in at an object": lambda d: _checkin(d).update(assessment={}),
    "questionnaire an object": lambda d: _first(d).update(questionnaire={"a": 1}),
    "strategy a list": lambda d: _plan(d).update(strategy=["com_listen_ten"]),
    "plan state a list": lambda d: _plan(d).update(status=["active"]),
    "tried a list": lambda d: _checkin(d).update(tried=["no"]),
    "safety answer a list": lambda d: _first(d)["safety_responses"].update(
        {next(iter(_first(d)["safety_responses"])): ["no"]}
    ),
    "year 1 with a zone": lambda d: _first(d).update(created_at="0001-01-01T00:00:00+05:00"),
    "year 9999 with a zone": lambda d: _first(d).update(created_at="9999-12-31T23:00:00-05:00"),
    "year 1": lambda d: _first(d).update(created_at="0001-01-01T00:00:00"),
    "year 9999": lambda d: _first(d).update(created_at="9999-12-31T23:59:59"),
    "just before 1970": lambda d: _first(d).update(created_at="1969-12-31T23:59:59"),
    "1970 that is 1969 in UTC": lambda d: _first(d).update(created_at="1970-01-01T00:30:00+01:00"),
    "2101": lambda d: _first(d).update(created_at="2101-01-01T00:00:00"),
    "plan chosen in year 1": lambda d: _plan(d).update(created_at="0001-01-01T00:00:00+01:00"),
    "check-in in year 9999": lambda d: _checkin(d).update(created_at="9999-12-31T23:30:00-01:00"),
}


def _upload(person: Person, document: Document):  # type: ignore[no-untyped-def]
    return upload(person, json.dumps(document).encode())


def test_hostile_values_are_a_400_with_nothing_stored(any_database, checkup) -> None:
    """A list, an object or true where an id belongs, a time outside 1970-2100: a 400?"""
    document = _exported(any_database, checkup)
    newcomer = Person(any_database.test_client())
    assert newcomer.register("moving-in").status_code == 303
    before = row_counts(any_database)
    for case, change in HOSTILE.items():
        hostile = copy.deepcopy(document)
        change(hostile)
        response = _upload(newcomer, hostile)
        assert response.status_code == 400, case
        assert "Nothing was imported" in response.get_data(as_text=True), case
        assert row_counts(any_database) == before, case
    # The edges of the range are times like any other: the file is then imported whole.
    _first(document)["created_at"] = "1970-01-01T00:00:00+00:00"
    document["assessments"][1]["created_at"] = "2100-12-31T23:59:59"
    assert _upload(newcomer, document).status_code == 303
    again = newcomer.client.get("/export.json?safety=yes").get_json()
    times = [a["created_at"] for a in again["assessments"]]
    assert times == ["1970-01-01T00:00:00", "2100-12-31T23:59:59"]
