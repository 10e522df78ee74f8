"""Exports a person can read: words beside the ids, safety answers by choice.

See docs/architecture.md#exports.
"""

from __future__ import annotations

import csv
import io

from tests.conftest import keyed_answers
from tests.web.test_partner import levels


def rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The CSV export's rows."""
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_csv_carries_each_questions_text_and_each_answers_label(member, checkup) -> None:
    """Does each answer row name its question and the answer's words beside the ids?"""
    answers = keyed_answers(checkup, levels(communication=4))
    optional = next(item for item in checkup.items if item.optional)
    answers.pop(optional.id)
    safety = {item.id: "no" for item in checkup.safety} | {checkup.safety[1].id: "skip"}
    member.submit("checkup", answers, safety)
    found = rows(member.client.get("/export.csv"))
    by_item = {row["item_id"]: row for row in found if row["kind"] == "answer"}
    for item in checkup.items:
        row = by_item[item.id]
        assert row["question"] == item.text
        if item.id == optional.id:
            assert (row["value"], row["answer"]) == ("", "Prefer not to say")
        else:
            assert row["answer"] == checkup.scale.label(int(row["value"]))
    safety_rows = {row["item_id"]: row for row in found if row["kind"] == "safety"}
    assert safety_rows[checkup.safety[0].id]["question"] == checkup.safety[0].text
    assert safety_rows[checkup.safety[0].id]["answer"] == "No"
    assert safety_rows[checkup.safety[1].id]["answer"] == "I'd rather not say"
    scores = {row["item_id"]: row for row in found if row["kind"] == "score"}
    assert scores["communication"]["question"] == "Communication"
    assert (scores["communication"]["value"], scores["communication"]["answer"]) == (
        "75.0",
        "strength",
    )


def test_account_page_says_exports_hold_safety_answers_and_offers_both_without(member) -> None:
    """Does the Account page say it plainly and link both exports without safety answers?"""
    page = member.client.get("/account").get_data(as_text=True)
    assert "These files include your private safety answers" in page
    assert 'href="/export.json?safety=no"' in page
    assert 'href="/export.csv?safety=no"' in page


def test_safety_no_leaves_out_every_safety_answer_and_the_flag(member, checkup) -> None:
    """With ?safety=no, is no safety answer nor its flag in either file, the rest all there?"""
    safety = {item.id: "no" for item in checkup.safety} | {checkup.safety[0].id: "yes"}
    member.submit("checkup", keyed_answers(checkup, levels()), safety)
    full = member.client.get("/export.json").get_json()
    assert full["assessments"][0]["safety_flag"] is True
    assert full["assessments"][0]["safety_responses"][checkup.safety[0].id] == "yes"
    private = member.client.get("/export.json?safety=no")
    assert private.status_code == 200
    document = private.get_json()
    assert "safety_responses" not in document["assessments"][0]
    assert "safety_flag" not in document["assessments"][0]
    assert document["assessments"][0]["answers"] == full["assessments"][0]["answers"]
    assert document["assessments"][0]["scores"] == full["assessments"][0]["scores"]
    text = private.get_data(as_text=True)
    for item in checkup.safety:
        assert item.id not in text
    csv_rows = rows(member.client.get("/export.csv?safety=no"))
    assert csv_rows and {row["kind"] for row in csv_rows} == {"answer", "score"}
    body = member.client.get("/export.csv?safety=no").get_data(as_text=True)
    for item in checkup.safety:
        assert item.id not in body and item.text not in body
    with_safety = {row["kind"] for row in rows(member.client.get("/export.csv"))}
    assert "safety" in with_safety


def test_an_odd_safety_choice_is_a_400(member) -> None:
    """Is ?safety= anything but yes or no, or given twice, a 400?"""
    for query in ("safety=maybe", "safety=no&safety=yes", "safety="):
        assert member.client.get(f"/export.json?{query}").status_code == 400, query
        assert member.client.get(f"/export.csv?{query}").status_code == 400, query
