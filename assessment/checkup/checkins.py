"""Plan check-ins at the top of a questionnaire: the plans asked about, the answers read and
stored with the submission, and what was said before (docs/architecture.md#plans)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from scoring import HELPED_CHOICES, KEEP_CHOICES, TRIED_CHOICES, closes_plan, counted_helped

from ..core import Assessment, Plan, PlanCheckin, PlanStatus, db


class Checkin(NamedTuple):
    """What was said of one plan at the top of a questionnaire."""

    tried: str
    helped: str | None
    keep: bool = False  # "keep trying it": tried, and still on the list


# plan id -> what was said of it
Checkins = Mapping[int, Checkin]


def user_plans(user_id: int) -> list[Plan]:
    """Every plan of the person, oldest first."""
    return list(db.session.scalars(select(Plan).where(Plan.user_id == user_id).order_by(Plan.id)))


def active_plans(user_id: int) -> list[Plan]:
    """The plans the person is trying now (at most three)."""
    mine = select(Plan).where(Plan.user_id == user_id, Plan.status == PlanStatus.ACTIVE)
    return list(db.session.scalars(mine.order_by(Plan.id)))


def reports(user_id: int) -> list[tuple[str, str, str | None, datetime]]:
    """(strategy id, tried, helped, when) for every check-in the person gave, oldest first."""
    rows = db.session.execute(
        select(Plan.strategy_id, PlanCheckin.tried, PlanCheckin.helped, PlanCheckin.created_at)
        .join(PlanCheckin, PlanCheckin.plan_id == Plan.id)
        .where(Plan.user_id == user_id)
        .order_by(PlanCheckin.id)
    )
    return [(s, t, h, w) for s, t, h, w in rows]  # a Row unpacks with its types


def plan_history(user_id: int) -> list[tuple[str, str, str | None, str | None, datetime | None]]:
    """(strategy, status, tried, helped, when) per plan and check-in, in one statement."""
    rows = db.session.execute(
        select(
            Plan.strategy_id,
            Plan.status,
            PlanCheckin.tried,
            PlanCheckin.helped,
            PlanCheckin.created_at,
        )
        .outerjoin(PlanCheckin, PlanCheckin.plan_id == Plan.id)
        .where(Plan.user_id == user_id)
        .order_by(Plan.id, PlanCheckin.id)
    )
    return [(s, st, t, h, w) for s, st, t, h, w in rows]  # a Row unpacks with its types


def record_checkins(
    assessment: Assessment, plans: Mapping[int, Plan], checkins: Checkins, moment: datetime
) -> None:
    """Add the check-ins to the session (same transaction); tried plans are closed unless
    the person chose to keep trying them (docs/architecture.md#plans)."""
    for plan_id, (tried, helped, keep) in checkins.items():
        plan = plans[plan_id]
        db.session.add(
            PlanCheckin(
                plan_id=plan.id,
                assessment_id=assessment.id,
                tried=tried,
                helped=counted_helped(tried, helped),
                created_at=moment,
            )
        )
        if closes_plan(tried, keep):
            plan.status = PlanStatus.CLOSED
            plan.closed_at = moment


_PLAN_FIELD = re.compile(r"plan_([0-9]{1,9})_(tried|helped|keep)")


def is_plan_field(name: str) -> bool:
    """Whether a posted field name has the shape of a plan check-in field."""
    return _PLAN_FIELD.fullmatch(name) is not None


def read_checkins(formdata: Mapping[str, str], plans: list[Plan]) -> Checkins | None:
    """The check-ins in a post, or None when a plan field is not acceptable (a 400).

    Fields of the person's active plans must hold a value from the lists (or be blank);
    fields of their own closed or dropped plans are ignored when their values are in the
    lists; any other plan id, or any other value, makes the whole post unacceptable.
    """
    by_id = {plan.id: plan for plan in plans}
    allowed = {"tried": TRIED_CHOICES, "helped": HELPED_CHOICES, "keep": KEEP_CHOICES}
    found: dict[int, dict[str, str]] = {}
    for name in formdata:
        match = _PLAN_FIELD.fullmatch(name)
        if match is None:
            continue
        plan_id, part = int(match[1]), match[2]
        value = formdata.get(name, "")
        plan = by_id.get(plan_id)
        if plan is None or (value and value not in allowed[part]):
            return None
        if plan.status == PlanStatus.ACTIVE and value:
            found.setdefault(plan_id, {})[part] = value
    return {
        plan_id: Checkin(parts["tried"], parts.get("helped"), parts.get("keep") == "yes")
        for plan_id, parts in found.items()
        if "tried" in parts
    }


def said_helped(assessment_id: int) -> list[str]:
    """Strategy ids the person said helped, in the check-ins given with this assessment."""
    rows = db.session.scalars(
        select(Plan.strategy_id)
        .join(PlanCheckin, PlanCheckin.plan_id == Plan.id)
        .where(PlanCheckin.assessment_id == assessment_id, PlanCheckin.helped == "yes")
        .order_by(PlanCheckin.id)
    )
    return list(rows)
