"""Every plan of a person with its check-ins, as History and the export read them, and the
cap on plans tried at once (docs/architecture.md#plans)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core import Assessment, Plan, PlanCheckin, db

MAX_ACTIVE_PLANS = 3


@dataclass(frozen=True)
class PlanRow:
    """A plan with its check-ins and the questionnaire it was chosen from."""

    plan: Plan
    questionnaire_id: str
    checkins: list[PlanCheckin]


def plans_with_checkins(user_id: int) -> list[PlanRow]:
    """Every plan of the person, oldest first, in two statements whatever their number."""
    rows = db.session.execute(
        select(Plan, Assessment.questionnaire_id)
        .join(Assessment, Assessment.id == Plan.assessment_id)
        .options(selectinload(Plan.checkins))
        .where(Plan.user_id == user_id)
        .order_by(Plan.created_at, Plan.id)
    ).all()
    return [PlanRow(plan, questionnaire_id, list(plan.checkins)) for plan, questionnaire_id in rows]
