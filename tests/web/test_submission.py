"""Submitting a questionnaire: errors next to their questions, nothing half-stored."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from assessment.core.extensions import db
from assessment.core.models import Answer, Assessment, DimensionScore
from tests.conftest import THREES, keyed_answers


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Assessment, Answer, DimensionScore)
        )


def _checked(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}" value="(\w+)"[^>]*checked', html)
    return match.group(1) if match else None


def test_incomplete_submission_keeps_valid_answers(member, checkup, app) -> None:
    """Is a missing answer a 400 with the error next to its question, other answers kept?"""
    answers = keyed_answers(checkup, THREES)
    answers[checkup.items[0].id] = "5"
    missing = next(item for item in checkup.items if not item.optional and item != checkup.items[0])
    del answers[missing.id]
    response = member.submit("checkup", answers)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    fieldset = html[html.index(f'id="q-{missing.id}"') :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    assert "Please choose an answer to this question." in fieldset
    assert _checked(html, checkup.items[0].id) == "5"
    for item in checkup.items:
        if item.id != missing.id and not item.optional:
            assert _checked(html, item.id) == answers[item.id], item.id
    assert 'id="error-summary"' in html
    assert _counts(app) == (0, 0, 0)


def test_optional_and_safety_items_left_blank_are_accepted(member, checkup, app) -> None:
    """Does a blank optional item count as "prefer not to say" and a blank safety item as skip?"""
    answers = keyed_answers(checkup, THREES)
    optional = [item.id for item in checkup.items if item.optional]
    assert optional, "the check-up has optional (intimacy) items"
    for item_id in optional:
        del answers[item_id]
    response = member.submit("checkup", answers)
    assessment_id = member.result_id(response)
    with app.app_context():
        stored = db.session.get(Assessment, assessment_id)
        assert {
            a.item_id: a.value for a in stored.answers if a.item_id in optional
        } == dict.fromkeys(optional)
        assert {r.response for r in stored.safety_responses} == {"skip"}
        scores = stored.score_map()
    assert scores["intimacy"] is None  # no answers: not enough to score
    assert scores["communication"] == 50.0
    html = member.client.get(f"/results/{assessment_id}").get_data(as_text=True)
    assert "Not enough answers to score" in html


def test_out_of_range_answer_is_rejected_next_to_its_question(member, checkup, app) -> None:
    """Is an answer outside the scale a 400 at its question, with nothing stored?"""
    answers = keyed_answers(checkup, THREES)
    answers[checkup.items[2].id] = "9"
    response = member.submit("checkup", answers)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    fieldset = html[html.index(f'id="q-{checkup.items[2].id}"') :]
    assert "Please choose one of the answers shown." in fieldset[: fieldset.index("</fieldset>")]
    assert _counts(app) == (0, 0, 0)


def test_unknown_field_is_rejected_and_nothing_stored(member, checkup, app) -> None:
    """Is a field the form never had a 400, with answers kept and nothing stored?"""
    answers = keyed_answers(checkup, THREES)
    response = member.submit("checkup", answers, extra={"is_admin": "1"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "nothing was saved" in html
    assert _checked(html, checkup.items[0].id) == answers[checkup.items[0].id]
    assert _counts(app) == (0, 0, 0)


def test_unknown_version_is_rejected(member, checkup, app) -> None:
    """Is a form claiming a questionnaire version we do not have a 400, storing nothing?"""
    hidden = member.open_form("checkup")
    hidden["version"] = "99"
    response = member.submit("checkup", keyed_answers(checkup, THREES), hidden=hidden)
    assert response.status_code == 400
    assert "has changed since the page was opened" in response.get_data(as_text=True)
    assert _counts(app) == (0, 0, 0)


def test_double_submit_stores_one_assessment(member, checkup, app) -> None:
    """Does posting the same form twice store one assessment and lead both posts to it?"""
    hidden = member.open_form("checkup")
    answers = keyed_answers(checkup, THREES)
    first = member.submit("checkup", answers, hidden=hidden)
    second = member.submit("checkup", answers, hidden=hidden)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert _counts(app)[0] == 1


def test_someone_elses_result_is_404(member, checkup, client, app) -> None:
    """Does another person's result answer 404, never revealing that it exists?"""
    response = member.submit("checkup", keyed_answers(checkup, THREES))
    location = response.headers["Location"]
    member.logout()
    member.register("sam")
    assert member.client.get(location).status_code == 404
    assert member.client.get("/results/999999").status_code == 404


def test_blank_safety_question_stays_blank_after_an_error(member, checkup) -> None:
    """Is a private question left blank shown blank again, never as an answer not chosen?"""
    answers = keyed_answers(checkup, THREES)
    del answers[checkup.items[0].id]
    html = member.submit("checkup", answers).get_data(as_text=True)
    for item in checkup.safety:
        assert _checked(html, item.id) is None, item.id
