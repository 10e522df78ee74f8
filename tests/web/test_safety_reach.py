"""What a "yes" on the safety screen keeps out of sight, and for how long.

Three rules a person (or their partner) would notice if they slipped
(docs/architecture.md#safety): a flagged result offers no unsafe strategy whatever was
stored with it; a flagged check-up never reaches the partner's page, even marked shared;
and the quiet that follows a flag lasts 90 days, not a day less.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import update

from assessment.core import Assessment, User, db
from assessment.safety import flag_at, flag_ends, recently_flagged
from tests.conftest import Person, levels, time_passes, user_id_of
from tests.web.test_partner import link, new_person, share


@pytest.fixture
def couple(app: Flask) -> tuple[Person, Person]:
    """Alex and Sam, linked through the real invite and join pages."""
    alex, sam = new_person(app, "alex"), new_person(app, "sam")
    link(app, alex, sam)
    return alex, sam


STRATEGY = re.compile(r'data-strategy="([\w-]+)"')
FLAG_DAYS = 90


def offered(person: Person, assessment_id: int) -> set[str]:
    """The strategies a result page offers."""
    page = person.client.get(f"/results/{assessment_id}")
    assert page.status_code == 200
    return set(STRATEGY.findall(page.get_data(as_text=True)))


def unsafe_ids(app: Flask) -> set[str]:
    """Strategies that ask something of the partner: never offered after a "yes"."""
    library = app.extensions["rekindle.catalog"].strategies
    return {s.id for s in library.strategies if not s.safe_if_flagged}


def test_a_flagged_result_never_offers_an_unsafe_strategy_it_stored(app, member, checkup) -> None:
    """A flagged check-up stored before its safe list was kept (only the full list): does its
    page offer none of the unsafe strategies in that list, during the flag and after it?"""
    flagged = member.take(checkup, levels(communication=1, romance=1), flagged=True)
    with app.app_context():
        row = db.session.get_one(Assessment, flagged)
        stored = {entry["strategy_id"] for entry in row.suggestions}
        row.safe_suggestions = None  # as on results stored before the safe list was kept
        db.session.commit()
    assert stored & unsafe_ids(app), "the full list holds unsafe strategies to leave out"

    assert not offered(member, flagged) & unsafe_ids(app)
    time_passes(app, user_id_of(app, "alex"), days=FLAG_DAYS + 1)  # the person's flag lapsed
    shown = offered(member, flagged)
    assert shown, "the safe strategies are still offered"
    assert not shown & unsafe_ids(app)  # the result's own "yes" still rules


def test_a_flagged_check_up_marked_shared_never_reaches_the_partner(app, couple, checkup) -> None:
    """If a flagged check-up were ever marked shared (an old row, a slip elsewhere), does the
    partner's page still show only the unflagged one?"""
    alex, sam = couple
    calm = alex.take(checkup, levels(communication=5))
    assert share(alex, calm).status_code == 303
    time_passes(app, user_id_of(app, "alex"), days=10)
    flagged = alex.take(checkup, levels(communication=1), flagged=True)
    time_passes(app, user_id_of(app, "alex"), days=FLAG_DAYS + 1)
    with app.app_context():
        db.session.execute(update(Assessment).where(Assessment.id == flagged).values(shared=True))
        dates = {
            row.id: row.created_at
            for row in db.session.query(Assessment).filter(Assessment.id.in_([calm, flagged]))
        }
        db.session.commit()
    page = sam.client.get("/partner").get_data(as_text=True)
    shown = re.search(r"Your partner's check-up: ([^<]+)</li>", page)
    assert shown, "the partner's shared check-up is named by its date"
    assert _day(dates[calm]) in shown.group(1) and _day(dates[flagged]) not in shown.group(1)


def _day(moment: datetime) -> str:
    """A date as the pages write it: "7 December 2026"."""
    return f"{moment.day} {moment.strftime('%B %Y')}"


def test_the_quiet_after_a_flag_lasts_ninety_days(app, couple, checkup) -> None:
    """Does the partner page hold back its starters 89 days after a "yes", and offer them
    again at 91 days?"""
    alex, sam = couple
    share(sam, sam.take(checkup, levels(communication=5)))
    share(alex, alex.take(checkup, levels(communication=1)))
    assert "data-starter=" in alex.client.get("/partner").get_data(as_text=True)
    alex.take(checkup, levels(communication=1), flagged=True)
    alex_id = user_id_of(app, "alex")

    time_passes(app, alex_id, days=FLAG_DAYS - 1)
    assert "data-starter=" not in alex.client.get("/partner").get_data(as_text=True)
    with app.app_context():
        assert recently_flagged(db.session.get_one(User, alex_id)) is not None

    time_passes(app, alex_id, days=2)
    assert "data-starter=" in alex.client.get("/partner").get_data(as_text=True)


def test_a_flag_ends_ninety_days_after_the_yes() -> None:
    """Is a flag on until the last moment of day 90, and off from then on?"""
    moment = datetime(2026, 1, 1, 12)
    ends = flag_ends(moment)
    assert ends == moment + timedelta(days=FLAG_DAYS)
    assert flag_at(ends, None, ends - timedelta(seconds=1)) is not None
    assert flag_at(ends, None, ends) is None
