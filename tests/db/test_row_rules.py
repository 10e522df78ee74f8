"""Rules that span rows hold when the requests that break them arrive at the same moment.

Each test fires the conflicting requests at a real gunicorn (2 workers, 4 threads each),
released together by a barrier, for 20 rounds on SQLite and on PostgreSQL, and checks
the rule in the database itself after every round (docs/architecture.md#locks).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, exists, func, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assessment.core.models import Assessment, PartnerLink, Plan, User, utcnow
from tests.conftest import (
    keyed_answers,
)
from tests.support.server import HttpPerson, gunicorn, migrated_database

pytestmark = pytest.mark.slow

ROUNDS = 20
# Threads, so more requests overlap than there are workers; no limits on repeated joins.
SERVER_ENVIRONMENT = {"RATELIMIT_ENABLED": "0", "GUNICORN_CMD_ARGS": "--threads 4"}
# Five of the six strategies this result offers (every dimension answered low).
OFFERED = (
    "com_i_statements",
    "com_daily_checkin",
    "com_notice_patterns",
    "emo_name_needs",
    "emo_trade_needs",
)
_INVITE = re.compile(r'id="invite-url"[^>]*value="[^"]*(/partner/join/[^"]+)"')
_RESULT = re.compile(r"/results/(\d+)$")


@dataclass
class Site:
    """The running server and a connection to its database, to check the rules."""

    url: str
    engine: Engine

    def count(self, statement) -> int:  # type: ignore[no-untyped-def]
        """One number from the database, read outside the app."""
        with self.engine.connect() as connection:
            return connection.scalar(statement)


def migrated(kind: str, folder: Path) -> AbstractContextManager[str]:
    """A migrated, empty database of this kind (its own file name here); yields its URL."""
    return migrated_database(kind, folder, "rules.sqlite3")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """One gunicorn per database for the whole file (each test has its own people)."""
    folder = tmp_path_factory.mktemp(f"rules-{request.param}")
    with (
        migrated(request.param, folder) as url,
        gunicorn(url, folder, 2, SERVER_ENVIRONMENT) as server,
    ):
        engine = create_engine(url)
        yield Site(server.url, engine)
        engine.dispose()


class Member(HttpPerson):
    """A registered person with a CSRF token kept for every post."""

    def __init__(self, site: Site, username: str) -> None:
        super().__init__(site.url)
        assert self.register(username).status == 303
        self.csrf = self.form("/partner")["csrf_token"]

    def post(self, path: str, **fields: str) -> int:
        """POST a form (with the CSRF token); the status."""
        return self.request(path, {"csrf_token": self.csrf, **fields}).status

    def invite_path(self) -> str:
        """A fresh invitation, as the page shows it once."""
        assert self.post("/partner/invite") == 303
        page = self.request("/partner").body
        match = _INVITE.search(page)
        assert match, page
        return match.group(1)

    def checkup_id(self, answers: dict[str, str]) -> int:
        """Take the full check-up; the id of its result."""
        reply = self.submit("checkup", answers)
        assert reply.status == 303, reply.body[:500]
        match = _RESULT.search(reply.headers["Location"])
        assert match
        return int(match.group(1))


def at_once(*requests: Callable[[], int]) -> list[int]:
    """Release every request at the same moment; their statuses, in order."""
    barrier = threading.Barrier(len(requests))

    def fire(request: Callable[[], int]) -> int:
        barrier.wait()
        return request()

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(fire, requests))


def links_of_anyone_in_two(site: Site) -> int:
    """People who appear in more than one link, on either side."""
    sides = union_all(
        select(PartnerLink.inviter_id.label("person")),
        select(PartnerLink.partner_id.label("person")),
    ).subquery()
    doubled = select(sides.c.person).group_by(sides.c.person).having(func.count() > 1).subquery()
    return site.count(select(func.count()).select_from(doubled))


def shared_without_link(site: Site) -> int:
    """Check-ups marked shared whose owner has no link."""
    linked = exists().where(
        or_(
            PartnerLink.inviter_id == Assessment.user_id,
            PartnerLink.partner_id == Assessment.user_id,
        )
    )
    return site.count(
        select(func.count()).select_from(Assessment).where(Assessment.shared.is_(True), ~linked)
    )


def active_plans(site: Site, member: str, strategy: str | None = None) -> int:
    """A person's active plans (of one strategy, if given), counted in the database."""
    statement = (
        select(func.count())
        .select_from(Plan)
        .join(User, User.id == Plan.user_id)
        .where(User.username == member, Plan.status == "active")
    )
    if strategy:
        statement = statement.where(Plan.strategy_id == strategy)
    return site.count(statement)


def active_plan_ids(site: Site, member: str) -> list[int]:
    """The ids of a person's active plans."""
    with site.engine.connect() as connection:
        return list(
            connection.scalars(
                select(Plan.id)
                .join(User, User.id == Plan.user_id)
                .where(User.username == member, Plan.status == "active")
            )
        )


def test_a_share_racing_an_unlink_never_stays_shared(site: Site, checkup) -> None:
    """Share a check-up while my partner ends the link: is it ever left shared, unlinked?"""
    me, partner = Member(site, "sharer"), Member(site, "unlinker")
    checkup_id = me.checkup_id(keyed_answers(checkup, dict.fromkeys(_dimensions(checkup), 4)))
    outcomes = []
    for _ in range(ROUNDS):
        assert partner.post(me.invite_path()) == 303
        shared, unlinked = at_once(
            lambda: me.post(f"/results/{checkup_id}/share", share="yes"),
            lambda: partner.post("/partner/unlink"),
        )
        assert unlinked == 303
        assert shared in (303, 409)  # before the unlink (then un-shared by it), or after
        outcomes.append(shared)
        assert shared_without_link(site) == 0
    assert site.count(select(func.count()).select_from(PartnerLink)) == 0


def test_two_crossing_joins_make_one_link(site: Site) -> None:
    """I join my partner's invite while they join mine, at once: one link, never two?"""
    first, second = Member(site, "crossing1"), Member(site, "crossing2")
    for _ in range(ROUNDS):
        mine, theirs = first.invite_path(), second.invite_path()
        statuses = at_once(
            lambda path=theirs: first.post(path), lambda path=mine: second.post(path)
        )
        assert sorted(statuses)[0] == 303 and sorted(statuses)[1] in (409, 410), statuses
        assert links_of_anyone_in_two(site) == 0
        assert site.count(select(func.count()).select_from(PartnerLink)) == 1
        assert first.post("/partner/unlink") == 303


def test_six_identical_plan_choices_make_one_plan(site: Site, checkup) -> None:
    """Six clicks on "I'll try this" arriving at once: exactly one active plan?"""
    me = Member(site, "sixclicks")
    result = me.checkup_id(keyed_answers(checkup, dict.fromkeys(_dimensions(checkup), 1)))
    choose = {"strategy_id": OFFERED[0], "assessment_id": str(result)}
    for _ in range(ROUNDS):
        statuses = at_once(*[lambda: me.post("/plans", **choose)] * 6)
        assert statuses == [303] * 6
        assert active_plans(site, "sixclicks", OFFERED[0]) == 1
        (plan_id,) = active_plan_ids(site, "sixclicks")
        assert me.post(f"/plans/{plan_id}/drop") == 303


def test_five_different_plan_choices_make_at_most_three(site: Site, checkup) -> None:
    """Five different strategies chosen at once: three are kept and two are told it is full?"""
    me = Member(site, "fivechoices")
    result = me.checkup_id(keyed_answers(checkup, dict.fromkeys(_dimensions(checkup), 1)))
    for _ in range(ROUNDS):
        statuses = at_once(
            *[
                lambda strategy=strategy: me.post(
                    "/plans", strategy_id=strategy, assessment_id=str(result)
                )
                for strategy in OFFERED
            ]
        )
        assert sorted(statuses) == [303, 303, 303, 409, 409]
        assert active_plans(site, "fivechoices") == 3
        for plan_id in active_plan_ids(site, "fivechoices"):
            assert me.post(f"/plans/{plan_id}/drop") == 303


def _dimensions(definition) -> list[str]:  # type: ignore[no-untyped-def]
    return [dimension.id for dimension in definition.dimensions]


def test_the_database_itself_refuses_a_second_link_or_a_second_active_plan(site: Site) -> None:
    """Written past the app's checks, straight into the tables: do the constraints say no?"""
    with Session(site.engine) as session:
        people = [User(username=f"direct{n}", password_hash="x") for n in range(3)]
        session.add_all(people)
        session.flush()
        first, second, third = (person.id for person in people)
        result = Assessment(
            user_id=first, questionnaire_id="checkup", questionnaire_version=1, submission_token="t"
        )
        session.add_all([PartnerLink(inviter_id=first, partner_id=second), result])
        session.commit()
        refused = []
        for inviter, partner in ((third, first), (second, third), (third, third)):
            session.add(PartnerLink(inviter_id=inviter, partner_id=partner))
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                refused.append((inviter, partner))

        def plan(status: str) -> Plan:
            return Plan(
                user_id=first,
                assessment_id=result.id,
                strategy_id=OFFERED[0],
                dimension="communication",
                status=status,
                created_at=utcnow(),
            )

        session.add_all([plan("dropped"), plan("closed"), plan("active")])
        session.commit()  # let go of and tried before: a new active one is fine
        session.add(plan("active"))
        with pytest.raises(IntegrityError):
            session.commit()
    assert refused == [(third, first), (second, third), (third, third)]
