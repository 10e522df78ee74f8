"""Your data is yours: export all of it, delete all of it."""

from __future__ import annotations

import csv
import io

from tests.conftest import THREES, keyed_answers, row_counts


def test_exports_hold_everything_of_mine_and_nothing_of_others(member, checkup, pulse) -> None:
    """Do the JSON and CSV exports carry every answer and score of mine only?"""
    member.submit("checkup", keyed_answers(checkup, THREES))
    member.logout()
    member.register("sam")
    member.submit("checkup", keyed_answers(checkup, THREES))
    member.submit("pulse", keyed_answers(pulse, THREES))
    document = member.client.get("/export.json?safety=yes").get_json()
    assert document["user"]["username"] == "sam"
    assert [a["questionnaire"] for a in document["assessments"]] == ["checkup", "pulse"]
    first = document["assessments"][0]
    assert len(first["answers"]) == len(checkup.items)
    assert set(first["safety_responses"]) == {s.id for s in checkup.safety}
    assert first["scores"]["communication"] == 50.0
    rows = list(
        csv.DictReader(io.StringIO(member.client.get("/export.csv").get_data(as_text=True)))
    )
    assert {row["assessment_id"] for row in rows} == {str(a["id"]) for a in document["assessments"]}
    answers = [row for row in rows if row["kind"] == "answer"]
    assert len(answers) == len(checkup.items) + len(pulse.items)


def test_delete_account_removes_every_row_and_signs_out(member, checkup, app) -> None:
    """Does deleting with the password remove every row of the person, and only theirs?"""
    member.submit("checkup", keyed_answers(checkup, THREES))
    member.logout()
    member.register("sam")
    member.submit("checkup", keyed_answers(checkup, THREES))
    before = row_counts(app)
    wrong = member.delete_account("nope nope")
    assert wrong.status_code == 403
    assert row_counts(app) == before
    response = member.delete_account()
    assert response.status_code == 303
    after = row_counts(app)
    assert after["users"] == before["users"] - 1
    assert after["assessments"] == before["assessments"] - 1
    assert after["answers"] == before["answers"] - len(checkup.items)
    assert after["safety_responses"] == before["safety_responses"] - len(checkup.safety)
    assert after["dimension_scores"] == before["dimension_scores"] - len(checkup.dimensions)
    assert member.client.get("/history").status_code == 302
