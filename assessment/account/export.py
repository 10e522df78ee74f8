"""A user's own data as plain JSON and CSV: everything of theirs, nothing of anyone else's."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from questionnaires.loader import Catalog
from questionnaires.models import PREFER_NOT_TO_SAY, Questionnaire

from ..core import Assessment, PlanStatus, User, band_name, current_catalog, db
from ..plans import PlanRow, plans_with_checkins

CSV_COLUMNS = (
    "assessment_id",
    "questionnaire",
    "version",
    "created_at",
    "kind",
    "item_id",
    "question",
    "value",
    "answer",
)
SAFETY_LABELS = {"yes": "Yes", "no": "No", "skip": "I'd rather not say"}
PLAN_STATUS_LABELS: dict[str, str] = {
    PlanStatus.ACTIVE: "trying it now",
    PlanStatus.CLOSED: "tried",
    PlanStatus.DROPPED: "let go",
}
TRIED_LABELS = {"yes": "yes", "partly": "partly", "no": "not yet"}
HELPED_LABELS = {"yes": "yes", "unsure": "not sure", "no": "no"}


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


def _assessment_document(a: Assessment, safety: bool) -> dict[str, Any]:
    document: dict[str, Any] = {
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
    if not safety:
        # The flag says that a safety answer was "yes": it is as private as the answers.
        del document["safety_flag"], document["safety_responses"]
    return document


def export_document(user: User, safety: bool = True) -> dict[str, Any]:
    """Every assessment with its answers, safety responses (unless left out) and scores."""
    return {
        "user": {
            "username": user.username,
            "created_at": user.created_at.isoformat(),
            "helpline_country": user.helpline_country,
        },
        "assessments": [_assessment_document(a, safety) for a in _assessments(user)],
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


def _definition(catalog: Catalog, a: Assessment) -> Questionnaire | None:
    try:
        return catalog.get(a.questionnaire_id, a.questionnaire_version)
    except KeyError:
        return None  # a retired version: the ids and values still say everything


def _strategy_title(catalog: Catalog, strategy_id: str) -> str:
    try:
        return catalog.strategies.by_id(strategy_id).title
    except KeyError:
        return ""


def export_csv(user: User, safety: bool = True) -> str:
    """One row per answer, safety response (unless left out) and score, in words and ids."""
    catalog = current_catalog()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for assessment in _assessments(user):
        writer.writerows(_assessment_rows(assessment, _definition(catalog, assessment), safety))
    for row in plans_with_checkins(user.id):
        writer.writerows(_plan_rows(row, _strategy_title(catalog, row.plan.strategy_id)))
    return buffer.getvalue()


def _assessment_rows(
    a: Assessment, definition: Questionnaire | None, safety: bool
) -> Iterator[tuple[object, ...]]:
    """An assessment's answers, safety responses and scores: ids, the question, the answer."""
    items = {i.id: i.text for i in definition.items} if definition else {}
    left = {i.id: i.left_label for i in definition.items} if definition else {}
    safety_texts = {i.id: i.text for i in definition.safety} if definition else {}
    labels: dict[str, str] = {d.id: d.label for d in definition.dimensions} if definition else {}
    head = (a.id, a.questionnaire_id, a.questionnaire_version, a.created_at.isoformat())
    value: str | float  # an answer (int) or a score, "" where there is none
    for answer in a.answers:
        if answer.value is None:
            value, label = "", left.get(answer.item_id) or PREFER_NOT_TO_SAY
        else:
            value = answer.value
            label = definition.scale.label(answer.value) if definition else ""
        yield (*head, "answer", answer.item_id, items.get(answer.item_id, ""), value, label)
    for response in a.safety_responses if safety else ():
        question = safety_texts.get(response.item_id, "")
        label = SAFETY_LABELS.get(response.response, "")
        yield (*head, "safety", response.item_id, question, response.response, label)
    for score in a.scores:
        value = "" if score.score is None else score.score
        question = labels.get(score.dimension, "")
        yield (*head, "score", score.dimension, question, value, band_name(score.score))


def _plan_rows(row: PlanRow, title: str) -> Iterator[tuple[object, ...]]:
    """A plan's row, then one row per check-in ("tried/helped" beside it in words)."""
    plan = row.plan
    head = (plan.assessment_id, row.questionnaire_id, "", plan.created_at.isoformat())
    status = PLAN_STATUS_LABELS.get(plan.status, "")
    yield (*head, "plan", plan.strategy_id, title, plan.status, status)
    for checkin in row.checkins:
        said = checkin.tried if checkin.helped is None else f"{checkin.tried}/{checkin.helped}"
        words = f"Tried: {TRIED_LABELS.get(checkin.tried, checkin.tried)}"
        if checkin.helped is not None:
            words += f"; helped: {HELPED_LABELS.get(checkin.helped, checkin.helped)}"
        moment = checkin.created_at.isoformat()
        yield (
            *(checkin.assessment_id, "", "", moment, "plan_checkin"),
            *(plan.strategy_id, title, said, words),
        )
