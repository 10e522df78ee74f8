"""Two linked people with shared check-ups, and the posts a talk's pages make.

Shared by the talk tests (tests/web/test_talk*.py): everything goes through the site, the
way a browser posts it (docs/architecture.md#talk).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from tests.conftest import Person, levels
from tests.web.test_partner import invite, join, new_person, share

TALK_PATH = re.compile(r"/talk/(\d+)$")
MENU = re.compile(r'<nav class="wrap site-nav" aria-label="Main">(.*?)</nav>', re.S)
TAG = re.compile(r"<[^>]+>")


@dataclass
class Couple:
    """Two linked people, each with one shared check-up (``mine`` and ``theirs`` ids)."""

    app: Flask
    first: Person
    second: Person
    first_checkup: int
    second_checkup: int


def linked_couple(
    app: Flask,
    first_levels: dict[str, int] | None = None,
    second_levels: dict[str, int] | None = None,
    names: tuple[str, str] = ("alex", "sam"),
    shared: bool = True,
) -> Couple:
    """Register two people, link them and share a full check-up of each (unless not)."""
    checkup = app.extensions["rekindle.catalog"].latest("checkup")
    first, second = new_person(app, names[0]), new_person(app, names[1])
    assert join(second, invite(first)).status_code == 303
    first_id = first.take(checkup, first_levels or levels(communication=2))
    second_id = second.take(checkup, second_levels or levels(communication=4))
    if shared:
        assert share(first, first_id).status_code == 303
        assert share(second, second_id).status_code == 303
    return Couple(app, first, second, first_id, second_id)


def token(person: Person) -> str:
    """The person's CSRF token (one per session), from a page with a form."""
    return person.csrf("/account")


def post(person: Person, path: str, **fields: str) -> TestResponse:
    """POST a talk form with the person's CSRF token."""
    return person.client.post(path, data={"csrf_token": token(person), **fields})


def ask(person: Person) -> TestResponse:
    """Press "Ask to talk it through"."""
    return post(person, "/talk")


def talk_id(response: TestResponse) -> int:
    """The talk a 303 led to."""
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    match = TALK_PATH.search(response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def begun(couple: Couple) -> int:
    """The first person asks and the second accepts: the talk's id, at step 1."""
    number = talk_id(ask(couple.first))
    assert post(couple.second, f"/talk/{number}/join").status_code == 303
    return number


def go(person: Person, number: int, step: int, **fields: str) -> TestResponse:
    """Back or Next to ``step`` (with the choice a step makes, when given)."""
    return post(person, f"/talk/{number}", step=str(step), **fields)


def walk_to_step(person: Person, number: int, target: int, dimension: str) -> None:
    """Next, Next, … from step 1 to ``target``, choosing ``dimension`` at step 3."""
    for step in range(2, target + 1):
        fields: dict[str, Any] = {"dimension": dimension} if step == 4 else {}
        response = go(person, number, step, **fields)
        assert response.status_code == 303, (step, response.get_data(as_text=True)[:1500])


def age_talks(app: Flask, days: float) -> None:
    """Move every talk, proposal and link ``days`` into the past, as if that much time went by."""
    from datetime import timedelta

    from assessment.core.extensions import db
    from assessment.core.models import PartnerLink, Talk, TalkProposal

    shift = timedelta(days=days)
    with app.app_context():
        for link in db.session.scalars(select(PartnerLink)):
            link.created_at -= shift
        for talk in db.session.scalars(select(Talk)):
            talk.created_at -= shift
            talk.joined_at = talk.joined_at - shift if talk.joined_at else None
        for proposal in db.session.scalars(select(TalkProposal)):
            proposal.created_at -= shift
        db.session.commit()


def page(person: Person, path: str) -> str:
    """A page's HTML (200 expected)."""
    response = person.client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def menu_words(html: str) -> list[str]:
    """The words of the page's menu, each link or button once."""
    found = MENU.search(html)
    assert found, "no menu"
    return [w.strip() for w in TAG.sub("\n", found.group(1)).split("\n") if w.strip()]


def rows_of(app: Flask, model: Any, **where: Any) -> list[Any]:
    """Every row of a model matching ``where``, read outside any request."""
    from assessment.core.extensions import db

    with app.app_context():
        statement = select(model).filter_by(**where)
        rows = list(db.session.scalars(statement))
        db.session.expunge_all()
        return rows


__all__ = ["levels"]
