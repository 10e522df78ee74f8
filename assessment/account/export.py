"""A user's own data as plain JSON and CSV: everything of theirs, nothing of anyone else's."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from questionnaires.loader import Catalog
from questionnaires.models import Questionnaire

from ..core import Assessment, PlanStatus, Talk, User, band_name, current_catalog, db
from ..plans import PlanRow, plans_with_checkins
from ..talk import area_label, strategy_title, talks_of

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
        "talks": [_talk_document(talk, user.id) for talk in talks_of(user.id)],
    }


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _talk_document(talk: Talk, user_id: int) -> dict[str, Any]:
    """A talk as the person was in it: only its facts, and the proposal made to them.

    Nothing of the partner: not their name, nor what they said to a proposal made to them
    (docs/architecture.md#exports).
    """
    mine = next((p for p in talk.proposals if p.user_id == user_id), None)
    return {
        "id": talk.id,
        "started_by_me": talk.started_by_id == user_id,
        "dimension": talk.dimension,
        "strategy": talk.strategy,
        "step": talk.step,
        "created_at": talk.created_at.isoformat(),
        "joined_at": _moment(talk.joined_at),
        "finished_at": _moment(talk.finished_at),
        "proposal": None
        if mine is None
        else {
            "strategy": mine.strategy,
            "status": mine.status,
            "created_at": mine.created_at.isoformat(),
        },
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
    for talk in talks_of(user.id):
        writer.writerow(_talk_row(talk))
    return buffer.getvalue()


def _talk_row(talk: Talk) -> tuple[object, ...]:
    """A talk's row: when, the area and, in words, what was chosen."""
    words = f"Talked about {area_label(talk.dimension)}" if talk.dimension else "Asked to talk"
    return (
        "",
        "",
        "",
        talk.created_at.isoformat(),
        "talk",
        talk.dimension or "",
        words,
        talk.strategy or "",
        strategy_title(talk.strategy),
    )


def _assessment_rows(
    a: Assessment, definition: Questionnaire | None, safety: bool
) -> Iterator[tuple[object, ...]]:
    """An assessment's answers, safety responses and scores: ids, the question, the answer."""
    items = {i.id: i.text for i in definition.items} if definition else {}
    safety_texts = {i.id: i.text for i in definition.safety} if definition else {}
    labels: dict[str, str] = {d.id: d.label for d in definition.dimensions} if definition else {}
    head = (a.id, a.questionnaire_id, a.questionnaire_version, a.created_at.isoformat())
    value: str | float  # an answer (int) or a score, "" where there is none
    for answer in a.answers:
        if answer.value is None:
            value, label = "", "Prefer not to say"
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
