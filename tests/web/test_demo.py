"""`flask --app app demo`: a demo account with half a year of history, created once."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from assessment.core.extensions import db
from assessment.core.models import Assessment, User
from tests.conftest import Person


def test_demo_creates_six_months_of_history_once(runner, app) -> None:
    """Does the command create the demo user once, print a working password, and not repeat?"""
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    password = re.search(r"^demo password: ([A-Za-z0-9]+)$", first.output, re.M).group(1)
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert f"demo password: {password}" in second.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "demo"))
        checkups = db.session.scalars(
            select(Assessment)
            .where(Assessment.user_id == user.id, Assessment.questionnaire_id == "checkup")
            .order_by(Assessment.created_at)
        ).all()
        assert len(checkups) == 6
        span = checkups[-1].created_at - checkups[0].created_at
        assert 140 <= span.days <= 190
        demo_users = select(func.count()).select_from(User).where(User.username == "demo")
        assert db.session.scalar(demo_users) == 1

        versions = [c.questionnaire_version for c in checkups]
        first_v3 = next(c.id for c in checkups if c.questionnaire_version == 3)
        latest = checkups[-1].id

    person = Person(app.test_client())
    assert person.login("demo", password).status_code == 303
    html = person.client.get("/history").get_data(as_text=True)
    end = html.find('id="tried-heading"')
    changes = html[
        html.index('id="changes-heading"') : end if end > 0 else html.index('id="all-heading"')
    ]
    # docs/architecture.md#versions: two check-ups of each version, so the pages show the
    # questions changing; the last two, both v3, are judged, and the first against the latest
    # is not.
    assert versions == [1, 1, 2, 2, 3, 3]
    assert "reliable improvement" in changes
    assert "the questions changed: not judged" in changes
    assert "The questions changed on" in changes
    result = person.client.get(f"/results/{first_v3}").get_data(as_text=True)
    assert "The questions changed between these two" in result
    # The last two are both v3: communication's late rise reads as a reliable improvement.
    result = person.client.get(f"/results/{latest}").get_data(as_text=True)
    row = re.search(r'<tr data-dimension="communication">(.*?)</tr>', result, re.S)
    assert row and "reliable improvement" in row.group(1)
    assert "questions changed" not in result
    partner = person.client.get("/partner").get_data(as_text=True)
    assert "questions changed" in partner
