"""Answers and safety responses never reach a log line, however verbose logging is."""

from __future__ import annotations

import logging
import re

import pytest

from tests.conftest import keyed_answers
from tests.support.server import HttpPerson, gunicorn, migrate

MIXED = {
    "communication": 2,
    "emotional_needs": 4,
    "stress": 1,
    "romance": 5,
    "intimacy": 3,
    "support": 2,
}


def _secrets(checkup) -> list[str]:  # type: ignore[no-untyped-def]
    """Strings that would mean an answer or a safety response was logged."""
    texts = [item.text for item in checkup.items] + [item.text for item in checkup.safety]
    ids = [item.id for item in checkup.items] + [item.id for item in checkup.safety]
    return texts + ids


def test_a_full_journey_logs_no_answer(member, checkup, pulse, caplog) -> None:
    """With every logger at DEBUG, no item id, item text or safety question is ever logged."""
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.engine", "sqlalchemy.pool", "werkzeug", "flask_limiter"):
        caplog.set_level(logging.DEBUG, logger=name)
    safety = {item.id: "yes" for item in checkup.safety}
    first = member.submit("checkup", keyed_answers(checkup, MIXED))
    page = member.client.get(first.headers["Location"]).get_data(as_text=True)
    strategy_id = re.search(r'name="strategy_id" value="(\w+)"', page).group(1)
    assessment_id = first.headers["Location"].rsplit("/", 1)[1]
    member.choose_plan(assessment_id, strategy_id)
    plan_field = re.search(
        r'name="(plan_\d+_tried)"', member.client.get("/checkup/pulse").get_data(as_text=True)
    ).group(1)
    response = member.submit("checkup", keyed_answers(checkup, MIXED), safety)
    member.client.get(response.headers["Location"])
    member.submit("pulse", keyed_answers(pulse, MIXED), extra={plan_field: "no"})
    member.client.get("/history")
    member.client.get("/export.json")
    member.client.get("/export.csv")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records, "logging was captured"
    for secret in _secrets(checkup):
        assert secret not in logged, secret
    assert strategy_id not in logged and plan_field not in logged


@pytest.mark.gunicorn
def test_server_logs_hold_no_answer(tmp_path, checkup) -> None:
    """Gunicorn's access and error log of a real journey hold no answers either."""
    url = f"sqlite:///{tmp_path / 'logs.sqlite3'}"
    migrate(url, tmp_path)
    with gunicorn(url, tmp_path, workers=1) as server:
        person = HttpPerson(server.url)
        person.register("quiet")
        safety = {item.id: "yes" for item in checkup.safety}
        reply = person.submit("checkup", {**keyed_answers(checkup, MIXED), **safety})
        assert reply.status == 303
        person.request(reply.headers["Location"].replace(server.url, ""))
        log = server.log.read_text()
    assert "POST /checkup/checkup" in log
    for secret in _secrets(checkup):
        assert secret not in log, secret
