"""A long history's exports are sent as they are written (docs/architecture.md#exports).

250 check-ins go out in several pieces, each written while the database connection is
back in the pool, and the pieces add up to every row of the person.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from flask import Flask
from sqlalchemy import func, select

from assessment.core import Answer, Assessment, DimensionScore, User, db
from bench.seed import PASSWORD, make_user, seed_history, seed_plans
from tests.conftest import Person

CHECKINS = 250


@pytest.fixture
def long_history(app: Flask) -> Person:
    """A person with 250 check-ins and a few plans, signed in."""
    with app.app_context():
        seed = make_user("longtime")
        seed_history(seed, CHECKINS)
        seed_plans(seed, 5)
    person = Person(app.test_client())
    assert person.login("longtime", PASSWORD).status_code == 303
    return person


def _rows(app: Flask, model: type) -> int:
    with app.app_context():
        owner = select(User.id).where(User.username == "longtime").scalar_subquery()
        mine = select(Assessment.id).where(Assessment.user_id == owner)
        return db.session.scalar(
            select(func.count()).select_from(model).where(model.assessment_id.in_(mine))
        )


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_a_long_history_goes_out_in_pieces_holding_no_connection(app, long_history, kind) -> None:
    """Is the export streamed, batch by batch, with no connection held between pieces?"""
    response = long_history.client.get(f"/export.{kind}", buffered=False)
    assert response.status_code == 200 and response.is_streamed
    with app.app_context():
        engine_pool = db.engine.pool
    pieces, held = [], []
    for piece in response.response:
        pieces.append(piece)
        held.append(engine_pool.checkedout())
    response.close()
    assert len(pieces) >= 3
    assert held[:-1] == [0] * (len(pieces) - 1)  # every batch was read and let go
    body = b"".join(pieces).decode()
    if kind == "json":
        document = json.loads(body)
        assert len(document["assessments"]) == CHECKINS
        answers = sum(len(a["answers"]) for a in document["assessments"])
        assert answers == _rows(app, Answer)
        assert len(document["plans"]) == 5
    else:
        rows = list(csv.DictReader(io.StringIO(body)))
        kinds = [row["kind"] for row in rows]
        assert kinds.count("answer") == _rows(app, Answer)
        assert kinds.count("score") == _rows(app, DimensionScore)
        assert kinds.count("plan") == 5
        assert "safety" not in kinds  # the bare export leaves the safety answers out
