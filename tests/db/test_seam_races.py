"""What an attacker tried at the same moment: two imports, and a delete against its check-up.

Requests are released together by a barrier against a real gunicorn (2 workers, 4 threads
each), for many rounds on SQLite and on PostgreSQL; after every round the database itself
is asked what was stored (docs/architecture.md#locks). A 500 or 503 is never an answer.
"""

from __future__ import annotations

import re
from functools import partial

import pytest
from sqlalchemy import func, select

from assessment.core.models import Assessment, Plan, User
from questionnaires.models import Questionnaire
from tests.conftest import keyed_answers
from tests.db import test_row_rules as row_rules
from tests.db.test_row_rules import (
    OFFERED,
    ROUNDS,
    Member,
    Site,
    active_plans,
    at_once,
)
from tests.support.server import Reply

pytestmark = [pytest.mark.slow, pytest.mark.gunicorn]

YES = {"confirm": "yes"}  # the delete button's confirmation
NOT_EMPTY = "This account already has check-ins, so nothing was imported."
_PLAN_BUTTON = re.compile(r'action="/plans/(\d+)/drop"')


# The same fixture as the row rules': one gunicorn per database for this file.
site = row_rules.site


def low(definition: Questionnaire) -> dict[str, str]:
    """Answers that put every dimension low, so the result offers every strategy we choose."""
    return keyed_answers(definition, {d.id: 1 for d in definition.dimensions})


def stored_by(site: Site, username: str) -> tuple[int, int]:
    """(check-ins, plans) a person has, counted in the database."""
    owner = select(User.id).where(User.username == username).scalar_subquery()
    return (
        site.count(select(func.count()).select_from(Assessment).where(Assessment.user_id == owner)),
        site.count(select(func.count()).select_from(Plan).where(Plan.user_id == owner)),
    )


def race(member: Member, *posts: tuple[str, dict[str, str]]) -> list[int]:
    """POST each (path, fields) as this person, all released at the same moment."""
    return at_once(*[partial(member.post, path, **fields) for path, fields in posts])


def import_file(member: Member, raw: bytes) -> Reply:
    """Upload an export.json on the Account page's import form."""
    return member.upload("/account/import", {"csrf_token": member.csrf}, "file", raw)


def test_two_imports_at_once_store_one_history(site: Site, checkup) -> None:
    """The same export.json sent twice at once into an empty account: is it stored once?"""
    donor = Member(site, "import-donor")
    first = donor.checkup_id(low(checkup))
    for strategy in OFFERED[:3]:
        assert donor.post("/plans", strategy_id=strategy, assessment_id=str(first)) == 303
    donor.checkup_id(low(checkup))
    exported = donor.request("/export.json?safety=yes")
    assert exported.status == 200
    raw = exported.body.encode()
    for round_number in range(ROUNDS):
        name = f"importer{round_number}"
        me = Member(site, name)
        replies: list[Reply] = at_once(*[partial(import_file, me, raw)] * 2)  # type: ignore[list-item]
        statuses = sorted(reply.status for reply in replies)
        assert statuses == [303, 400], statuses
        refused = next(reply for reply in replies if reply.status == 400)
        assert NOT_EMPTY in refused.body
        assert stored_by(site, name) == (2, 3)
        assert active_plans(site, name) == 3


def test_letting_go_while_its_check_up_is_deleted(site: Site, checkup) -> None:
    """ "Let go" of a plan at the moment its check-up is deleted: a 404, never a 500?"""
    me = Member(site, "dropper")
    for _ in range(ROUNDS):
        result = me.checkup_id(low(checkup))
        assert me.post("/plans", strategy_id=OFFERED[0], assessment_id=str(result)) == 303
        found = _PLAN_BUTTON.search(me.request("/plans").body)
        assert found, "the plan is listed with its button"
        dropped, deleted = race(
            me, (f"/plans/{found.group(1)}/drop", {}), (f"/results/{result}/delete", YES)
        )
        assert deleted == 303
        assert dropped in (303, 404), dropped
        assert stored_by(site, "dropper") == (0, 0)


def test_sharing_while_the_check_up_is_deleted(site: Site, checkup) -> None:
    """ "Stop sharing" (or share) at the moment the check-up is deleted: a 404, never a 500?"""
    me, partner = Member(site, "unsharer"), Member(site, "unsharer-partner")
    assert partner.post(me.invite_path()) == 303
    for _ in range(ROUNDS):
        shared = me.checkup_id(low(checkup))
        assert me.post(f"/results/{shared}/share", share="yes") == 303
        fresh = me.checkup_id(low(checkup))
        for result, choice in ((shared, "no"), (fresh, "yes")):
            changed, deleted = race(
                me,
                (f"/results/{result}/share", {"share": choice}),
                (f"/results/{result}/delete", YES),
            )
            assert deleted == 303
            assert changed in (303, 404), (choice, changed)
        assert stored_by(site, "unsharer") == (0, 0)
