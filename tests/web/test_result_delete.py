"""Deleting one check-up: it and everything recorded with it, nothing else.

See docs/architecture.md#accounts.
"""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import func, select, text

from assessment.core.extensions import db
from assessment.core.models import Assessment, Plan, PlanCheckin
from tests.conftest import Person, keyed_answers, row_counts
from tests.web.test_partner import levels, link, new_person, share


def choose_plan(person: Person, app: Flask, assessment_id: int) -> int:
    """Press "I'll try this" on a result's first suggestion not tried yet; return the plan."""
    with app.app_context():
        offered = [s["strategy_id"] for s in db.session.get(Assessment, assessment_id).suggestions]
        taken = set(db.session.scalars(select(Plan.strategy_id)))
    response = person.choose_plan(assessment_id, next(s for s in offered if s not in taken))
    assert response.status_code == 303
    with app.app_context():
        return db.session.scalar(select(func.max(Plan.id)))


def delete(person: Person, assessment_id: int, **data: str):  # type: ignore[no-untyped-def]
    """Post the result page's delete form."""
    body = {"csrf_token": person.csrf("/account"), "confirm": "yes"} | data
    return person.client.post(f"/results/{assessment_id}/delete", data=body)


def test_deleting_a_checkup_removes_it_and_all_it_recorded(app, checkup, pulse) -> None:
    """Are its answers, scores, safety answers, check-ins, plans and share gone, only those?"""
    alex, sam = new_person(app, "alex"), new_person(app, "sam")
    link(app, alex, sam)
    first = alex.take(checkup, levels(communication=1, romance=1))
    kept_plan = choose_plan(alex, app, first)
    safety = {item.id: "no" for item in pulse.safety}
    second = alex.result_id(
        alex.submit(
            "pulse",
            keyed_answers(pulse, levels(communication=2)),
            safety,
            extra={f"plan_{kept_plan}_tried": "no"},
        )
    )
    taken_from_second = choose_plan(alex, app, second)
    third = alex.result_id(
        alex.submit(
            "checkup",
            keyed_answers(checkup, levels()),
            {item.id: "no" for item in checkup.safety},
            extra={f"plan_{kept_plan}_tried": "no", f"plan_{taken_from_second}_tried": "no"},
        )
    )
    assert share(alex, third).status_code == 303
    sams_own = sam.take(checkup, levels())
    before = row_counts(app)

    assert delete(alex, second).status_code == 303
    after = row_counts(app)
    changed = {name: after[name] - before[name] for name in before if after[name] != before[name]}
    assert changed == {
        "assessments": -1,
        "answers": -len(pulse.items),
        "safety_responses": -len(pulse.safety),
        "dimension_scores": -len(pulse.dimensions),
        "plans": -1,  # chosen from it
        "plan_checkins": -2,  # given in it, and the later one about the plan chosen from it
    }
    with app.app_context():
        assert db.session.get(Assessment, second) is None
        assert db.session.get(Plan, taken_from_second) is None
        assert db.session.get(Plan, kept_plan) is not None
        left = db.session.scalars(select(PlanCheckin.assessment_id)).all()
        assert left == [third]
        for table in ("answers", "safety_responses", "dimension_scores", "plan_checkins"):
            orphans = db.session.scalar(
                text(f"SELECT count(*) FROM {table} WHERE assessment_id = :id"), {"id": second}
            )
            assert orphans == 0, table
    assert alex.client.get(f"/results/{second}").status_code == 404
    assert f"/results/{second}" not in alex.client.get("/history").get_data(as_text=True)

    assert "Your partner's check-up" in sam.client.get("/partner").get_data(as_text=True)
    assert delete(alex, third).status_code == 303
    assert "Your partner's check-up" not in sam.client.get("/partner").get_data(as_text=True)
    assert sam.client.get(f"/results/{sams_own}").status_code == 200


def test_it_goes_to_history_and_the_result_page_asks_first(member, app, checkup) -> None:
    """Does the result page fold the delete button behind a question, and lead to History?"""
    stored = member.take(checkup, levels())
    page = member.client.get(f"/results/{stored}").get_data(as_text=True)
    folded = re.search(
        r"<details>\s*<summary[^>]*>Delete this check-in</summary>(.*?)</details>", page, re.S
    )
    assert folded, "the delete form waits behind a summary the person opens first"
    assert f'action="/results/{stored}/delete"' in folded.group(1)
    assert 'name="confirm" value="yes"' in folded.group(1)
    assert "for good" in folded.group(1)
    response = delete(member, stored)
    assert response.status_code == 303
    assert response.headers["Location"] == "/history"
    assert "have been deleted" in member.client.get("/history").get_data(as_text=True)


def test_without_confirm_or_with_extra_fields_nothing_goes(member, app, checkup) -> None:
    """Is a post without confirm=yes, or with a field more, a 400 that deletes nothing?"""
    stored = member.take(checkup, levels())
    before = row_counts(app)
    no_confirm = member.client.post(
        f"/results/{stored}/delete", data={"csrf_token": member.csrf("/account")}
    )
    assert no_confirm.status_code == 400
    assert delete(member, stored, confirm="no").status_code == 400
    assert delete(member, stored, everything="yes").status_code == 400
    no_csrf = member.client.post(f"/results/{stored}/delete", data={"confirm": "yes"})
    assert no_csrf.status_code == 400
    assert row_counts(app) == before


def test_another_persons_checkup_is_404(app, checkup) -> None:
    """Can anyone delete a check-up that is not theirs? (No: 404, nothing changes.)"""
    alex, sam = new_person(app, "alex"), new_person(app, "sam")
    theirs = alex.take(checkup, levels())
    before = row_counts(app)
    assert delete(sam, theirs).status_code == 404
    assert delete(sam, theirs + 1000).status_code == 404
    assert row_counts(app) == before
    assert alex.client.get(f"/results/{theirs}").status_code == 200
