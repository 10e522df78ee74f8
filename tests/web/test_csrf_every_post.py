"""Every route that takes a POST refuses one without a CSRF token: 400, nothing stored.

Driven by the app's own URL map, so a route added later is checked without anyone
remembering to list it (docs/architecture.md#forms). CSRFProtect runs before the view,
so the answer is 400 whatever the URL names: a row of the person's, or none at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from questionnaires.models import Questionnaire
from tests.conftest import THREES, Person, make_assessment, row_counts, user_id_of

# Routes that exist today; the map must still hold them, so the test cannot pass by
# finding nothing to post to.
KNOWN = {
    "auth.login",
    "auth.register",
    "auth.logout",
    "account.delete",
    "import_export.import_file",
    "plans.choose",
    "plans.drop",
    "deletion.delete_result",
    "partner.share",
    "partner.join",
    "talk.proposal",
}


def post_rules(app: Flask) -> list[Rule]:
    """Every rule of the app that accepts POST, in a stable order."""
    rules = [rule for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())]
    return sorted(rules, key=lambda rule: rule.rule)


def plausible(rule: Rule, rows: dict[str, Any]) -> dict[str, Any]:
    """Values for the rule's URL variables: the person's own row where one is named."""
    values = {}
    for name in rule.arguments:
        if name in rows:
            values[name] = rows[name]
        elif type(rule._converters[name]).__name__ in {"IdConverter", "IntegerConverter"}:
            values[name] = 1
        else:
            values[name] = "checkup" if name == "qid" else "a-plausible-value"
    return values


def own_rows(app: Flask, member: Person, checkup: Questionnaire) -> dict[str, Any]:
    """A check-up and a plan of the signed-in person, so URLs can name real rows."""
    from assessment.core import Plan, PlanStatus, db, utcnow

    user_id = user_id_of(app, "alex")
    assessment_id = make_assessment(app, user_id, checkup, THREES)
    with app.app_context():
        strategy = app.extensions["rekindle.catalog"].strategies.strategies[0]
        plan = Plan(
            user_id=user_id,
            assessment_id=assessment_id,
            strategy_id=strategy.id,
            dimension=strategy.dimension,
            status=PlanStatus.ACTIVE,
            created_at=utcnow(),
        )
        db.session.add(plan)
        db.session.commit()
        plan_id = plan.id
    return {"assessment_id": assessment_id, "plan_id": plan_id, "qid": "checkup"}


def test_the_map_holds_the_known_post_routes(app) -> None:
    """Does the URL map list the POST routes we know of (the next test walks them all)?"""
    assert app.config["WTF_CSRF_ENABLED"] is True
    assert {rule.endpoint for rule in post_rules(app)} >= KNOWN


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "signed-out"])
def test_every_post_without_a_csrf_token_is_400_with_nothing_stored(
    app, member, checkup, signed_in
) -> None:
    """A POST without the token (signed in, or not) to every route: 400, no row changes?"""
    rows = own_rows(app, member, checkup)
    if not signed_in:
        member.logout()
    before = row_counts(app)
    answers: dict[str, int] = {}
    with app.test_request_context():
        from flask import url_for

        paths = [url_for(rule.endpoint, **plausible(rule, rows)) for rule in post_rules(app)]
    for path in paths:
        # Nothing else posted: a field the form does not hold would be a 400 of its own.
        answers[path] = member.client.post(path).status_code
    assert answers == dict.fromkeys(answers, 400), answers
    assert row_counts(app) == before
