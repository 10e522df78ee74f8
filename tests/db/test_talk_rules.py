"""A talk's rules that span rows hold when the requests that break them arrive together.

Released by a barrier at a real gunicorn (2 workers, 4 threads each), on SQLite and on
PostgreSQL, checked in the database after every round (docs/architecture.md#locks,
#talk): a couple has one open talk, and a proposal said yes to never makes a fourth plan.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import and_, func, or_, select

from assessment.core.models import Talk, TalkProposal, User
from tests.conftest import keyed_answers
from tests.db import test_row_rules as row_rules
from tests.db.test_row_rules import Member, Site, active_plan_ids, active_plans, at_once

# The same fixture as the row rules': one gunicorn per database for this file.
site = row_rules.site

pytestmark = [pytest.mark.slow, pytest.mark.gunicorn]

ROUNDS = 10
TALK = re.compile(r"/talk/(\d+)$")
# What the talk chooses, and what the one asked already tries: offered by a check-up
# answered 1 everywhere (focus: communication, emotional needs). The two choices that race
# the "yes" are read from the result page, so they are always ones it offers (a choice it
# does not offer is a plain 400, and would race nothing).
PROPOSED = "com_feelings_real"
ALREADY = ("emo_name_needs", "emo_trade_needs")
STRATEGY = re.compile(r'data-strategy="([\w-]+)"')


def couple(site: Site, checkup, names: tuple[str, str]) -> tuple[Member, Member, int, int]:  # type: ignore[no-untyped-def]
    """Two linked members, each with a shared check-up answered 1 everywhere."""
    first, second = Member(site, names[0]), Member(site, names[1])
    assert second.post(first.invite_path()) == 303
    answers = keyed_answers(checkup, {d.id: 1 for d in checkup.dimensions})
    ids = []
    for person in (first, second):
        result = person.checkup_id(answers)
        assert person.post(f"/results/{result}/share", share="yes") == 303
        ids.append(result)
    return first, second, ids[0], ids[1]


def open_talks(site: Site, first: str, second: str) -> int:
    """The couple's talks not finished (requests and talks under way)."""
    ids = {
        name: site.count(select(User.id).where(User.username == name)) for name in (first, second)
    }
    pair = or_(
        and_(Talk.started_by_id == ids[first], Talk.partner_id == ids[second]),
        and_(Talk.started_by_id == ids[second], Talk.partner_id == ids[first]),
    )
    return site.count(
        select(func.count()).select_from(Talk).where(pair, Talk.finished_at.is_(None))
    )


def ask(member: Member) -> int:
    """Ask to talk; the talk's id."""
    reply = member.request("/talk", {"csrf_token": member.csrf})
    assert reply.status == 303, reply.body[:500]
    found = TALK.search(reply.headers["Location"])
    assert found
    return int(found.group(1))


def test_both_asking_at_once_make_one_talk(site: Site, checkup) -> None:
    """Four presses of "Ask", two from each side, at the same moment: one open talk?"""
    first, second, _, _ = couple(site, checkup, ("askboth1", "askboth2"))
    for _ in range(ROUNDS):
        statuses = at_once(*[lambda m=m: m.post("/talk") for m in (first, second) * 2])
        assert statuses == [303] * 4
        assert open_talks(site, "askboth1", "askboth2") == 1
        assert first.post(f"/talk/{ask(first)}/end") == 303


def _to_step_five(first: Member, second: Member) -> int:
    number = ask(first)
    assert second.post(f"/talk/{number}/join") == 303
    for step, fields in ((2, {}), (3, {}), (4, {"dimension": "communication"}), (5, {})):
        assert first.post(f"/talk/{number}", step=str(step), **fields) == 303
    return number


def test_a_yes_racing_two_plan_choices_never_makes_a_fourth_plan(site: Site, checkup) -> None:
    """Two plans on the go; saying yes to a talk's proposal while choosing two more at once:
    never more than three?"""
    first, second, _, theirs = couple(site, checkup, ("proposer", "answerer"))
    offered = STRATEGY.findall(second.request(f"/results/{theirs}").body)
    racing = [s for s in dict.fromkeys(offered) if s not in (*ALREADY, PROPOSED)][:2]
    assert len(racing) == 2 and set(ALREADY) <= set(offered), offered
    for _ in range(ROUNDS):
        for strategy in ALREADY:
            assert second.post("/plans", strategy_id=strategy, assessment_id=str(theirs)) == 303
        number = _to_step_five(first, second)
        assert first.post(f"/talk/{number}", step="6", strategy=PROPOSED) == 303
        statuses = at_once(
            lambda number=number: second.post(f"/talk/{number}/proposal", accept="yes"),
            *[
                lambda s=s: second.post("/plans", strategy_id=s, assessment_id=str(theirs))
                for s in racing
            ],
        )
        # One of the three takes the third place; the other two find it full.
        assert sorted(statuses) == [303, 409, 409], statuses
        assert active_plans(site, "answerer") == 3
        assert first.post(f"/talk/{number}/end") == 303
        for member, name in ((first, "proposer"), (second, "answerer")):
            for plan_id in active_plan_ids(site, name):
                assert member.post(f"/plans/{plan_id}/drop") == 303


def test_a_double_click_on_a_choice_makes_one_plan_and_one_proposal(site: Site, checkup) -> None:
    """Three clicks on "Let's try this" at once: one plan, one proposal?"""
    first, second, _, _ = couple(site, checkup, ("clicker1", "clicker2"))
    for _ in range(ROUNDS):
        number = _to_step_five(first, second)
        statuses = at_once(
            *[lambda number=number: first.post(f"/talk/{number}", step="6", strategy=PROPOSED)] * 3
        )
        assert 303 in statuses and set(statuses) <= {303, 400}, statuses
        assert active_plans(site, "clicker1", PROPOSED) == 1
        proposals = site.count(
            select(func.count()).select_from(TalkProposal).where(TalkProposal.talk_id == number)
        )
        assert proposals == 1
        assert first.post(f"/talk/{number}/end") == 303
        for plan_id in active_plan_ids(site, "clicker1"):
            assert first.post(f"/plans/{plan_id}/drop") == 303
