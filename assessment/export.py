"""A user's own data as plain JSON and CSV: everything of theirs, nothing of anyone else's."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .extensions import db
from .followthrough import PlanRow, plans_with_checkins
from .models import Assessment, User

CSV_COLUMNS = (
    "assessment_id",
    "questionnaire",
    "version",
    "created_at",
    "kind",
    "item_id",
    "value",
)


def _assessments(user: User) -> list[Assessment]:
    return list(
        db.session.scalars(
            select(Assessment)
            .options(
                selectinload(Assessment.answers),
                selectinload(Assessment.safety_responses),
                selectinload(Assessment.scores),
            )
            .where(Assessment.user_id == user.id)
            .order_by(Assessment.created_at, Assessment.id)
        )
    )


def export_document(user: User) -> dict[str, Any]:
    """Every assessment with its answers, safety responses and scores (DESIGN.md §5)."""
    return {
        "user": {"username": user.username, "created_at": user.created_at.isoformat()},
        "assessments": [
            {
                "id": a.id,
                "questionnaire": a.questionnaire_id,
                "version": a.questionnaire_version,
                "created_at": a.created_at.isoformat(),
                "safety_flag": a.safety_flag,
                "answers": {row.item_id: row.value for row in a.answers},
                "safety_responses": {row.item_id: row.response for row in a.safety_responses},
                "scores": {row.dimension: row.score for row in a.scores},
                "overall": a.overall,
            }
            for a in _assessments(user)
        ],
        "plans": [
            {
                "id": row.plan.id,
                "strategy": row.plan.strategy_id,
                "dimension": row.plan.dimension,
                "chosen_from_assessment": row.plan.assessment_id,
                "status": row.plan.status,
                "created_at": row.plan.created_at.isoformat(),
                "closed_at": row.plan.closed_at.isoformat() if row.plan.closed_at else None,
                "checkins": [
                    {
                        "assessment": checkin.assessment_id,
                        "tried": checkin.tried,
                        "helped": checkin.helped,
                        "created_at": checkin.created_at.isoformat(),
                    }
                    for checkin in row.checkins
                ],
            }
            for row in plans_with_checkins(user.id)
        ],
    }


def export_csv(user: User) -> str:
    """One row per answer, safety response and score, with the assessment it belongs to."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for assessment in _assessments(user):
        writer.writerows(_assessment_rows(assessment))
    for row in plans_with_checkins(user.id):
        writer.writerows(_plan_rows(row))
    return buffer.getvalue()


def _assessment_rows(a: Assessment) -> Iterator[tuple[object, ...]]:
    """An assessment's answers, safety responses and scores, each a row with its head."""
    head = (a.id, a.questionnaire_id, a.questionnaire_version, a.created_at.isoformat())
    for answer in a.answers:
        yield (*head, "answer", answer.item_id, "" if answer.value is None else answer.value)
    for response in a.safety_responses:
        yield (*head, "safety", response.item_id, response.response)
    for score in a.scores:
        yield (*head, "score", score.dimension, "" if score.score is None else score.score)


def _plan_rows(row: PlanRow) -> Iterator[tuple[object, ...]]:
    """A plan's row, then one row per check-in ("tried/helped", or "tried" alone)."""
    plan = row.plan
    yield (
        plan.assessment_id,
        row.questionnaire_id,
        "",
        plan.created_at.isoformat(),
        "plan",
        plan.strategy_id,
        plan.status,
    )
    for checkin in row.checkins:
        said = checkin.tried if checkin.helped is None else f"{checkin.tried}/{checkin.helped}"
        moment = checkin.created_at.isoformat()
        yield (checkin.assessment_id, "", "", moment, "plan_checkin", plan.strategy_id, said)
