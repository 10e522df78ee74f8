"""The glue between web and engine: score a submission and store it in one transaction."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from questionnaires.loader import Catalog
from questionnaires.models import Questionnaire, Strategy, StrategyLibrary
from scoring import ScoredAssessment, Suggestion, score_assessment, unhelpful_strategies

from . import followthrough
from .extensions import db
from .models import Answer, Assessment, DimensionScore, Plan, SafetyResponse, User, utcnow


def new_submission_token() -> str:
    """A random token drawn into each form, so a repeated post stores one assessment."""
    return secrets.token_urlsafe(24)


def find_by_token(user_id: int, token: str) -> Assessment | None:
    """The assessment this user already stored with this submission token, if any."""
    return db.session.scalar(
        select(Assessment).where(
            Assessment.user_id == user_id, Assessment.submission_token == token
        )
    )


def suggestions_to_json(suggestions: tuple[Suggestion, ...]) -> list[dict[str, Any]]:
    """Plain JSON for the suggestions chosen at scoring time, kept with the assessment."""
    return [
        {
            "strategy_id": s.strategy_id,
            "dimension": s.dimension,
            "triggers": [
                {"item_id": t.item_id, "answer": t.answer, "keyed": t.keyed} for t in s.triggers
            ],
        }
        for s in suggestions
    ]


def offered_suggestions(
    assessment: Assessment, library: StrategyLibrary
) -> list[tuple[dict[str, Any], Strategy]]:
    """(stored suggestion, strategy) for what this result offers, in the order it was scored.

    A strategy retired since is left out; on a flagged result only the strategies safe
    while there is fear are ever offered, whatever was stored (DESIGN.md §4).
    """
    offered = []
    for stored in assessment.suggestions or []:
        try:
            strategy = library.by_id(stored["strategy_id"])
        except KeyError:
            continue
        if assessment.safety_flag and not strategy.safe_if_flagged:
            continue
        offered.append((stored, strategy))
    return offered


def store_assessment(
    user: User,
    questionnaire: Questionnaire,
    catalog: Catalog,
    answers: Mapping[str, int | None],
    safety: Mapping[str, str],
    submission_token: str,
    created_at: datetime | None = None,
    checkins: followthrough.Checkins | None = None,
) -> Assessment:
    """Score and store answers, safety responses, scores and plan check-ins, or nothing.

    A second post with the same token (a double click, a replay, a race between
    two workers) returns the assessment the first one stored. Check-ins are never
    scored; a strategy reported as not helping is ranked last in its dimension.
    """
    existing = find_by_token(user.id, submission_token)
    if existing is not None:
        return existing
    moment = created_at or utcnow()
    checkins = checkins or {}
    active = {plan.id: plan for plan in followthrough.active_plans(user.id)}
    scored = score_assessment(
        questionnaire,
        catalog.strategies,
        answers,
        safety,
        unhelpful=_unhelpful(user.id, active, checkins),
    )
    assessment = _assessment_row(user, questionnaire, scored, submission_token, moment)
    assessment.answers = [Answer(item_id=k, value=v) for k, v in answers.items()]
    assessment.safety_responses = [SafetyResponse(item_id=k, response=v) for k, v in safety.items()]
    db.session.add(assessment)
    try:
        if checkins or (scored.flagged and active):
            db.session.flush()  # the check-ins need the assessment's id; still one transaction
            followthrough.record_checkins(assessment, active, checkins, moment)
            if scored.flagged:
                followthrough.drop_unsafe_plans(list(active.values()), catalog.strategies, moment)
        db.session.commit()
    except IntegrityError:
        # Another request stored this token first: that one is the submission.
        db.session.rollback()
        stored = find_by_token(user.id, submission_token)
        if stored is None:
            raise
        return stored
    return assessment


def _unhelpful(
    user_id: int, active: Mapping[int, Plan], checkins: followthrough.Checkins
) -> frozenset[str]:
    """Strategies reported as not helping, before and in this very submission."""
    earlier = [
        (strategy, tried, helped) for strategy, tried, helped, _ in followthrough.reports(user_id)
    ]
    now = [(active[plan_id].strategy_id, *answer) for plan_id, answer in checkins.items()]
    return unhelpful_strategies(earlier + now)


def _assessment_row(
    user: User,
    questionnaire: Questionnaire,
    scored: ScoredAssessment,
    submission_token: str,
    moment: datetime,
) -> Assessment:
    """The assessment row with its scores and the suggestions chosen when it was scored."""
    assessment = Assessment(
        user_id=user.id,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        created_at=moment,
        safety_flag=scored.flagged,
        submission_token=submission_token,
        overall=scored.overall,
        suggestions=suggestions_to_json(scored.suggestions),
    )
    assessment.scores = [DimensionScore(dimension=k, score=v) for k, v in scored.scores.items()]
    return assessment


def get_own_assessment(user_id: int, assessment_id: int) -> Assessment | None:
    """The user's own assessment with its scores, or None (someone else's looks absent)."""
    # One statement: the scores come joined, not in a second query.
    return (
        db.session.scalars(
            select(Assessment)
            .options(joinedload(Assessment.scores))
            .where(Assessment.id == assessment_id, Assessment.user_id == user_id)
        )
        .unique()
        .first()
    )


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The same person's assessment of the same questionnaire just before this one."""
    latest_before = (
        select(Assessment.id)
        .where(
            Assessment.user_id == assessment.user_id,
            Assessment.questionnaire_id == assessment.questionnaire_id,
            (Assessment.created_at < assessment.created_at)
            | ((Assessment.created_at == assessment.created_at) & (Assessment.id < assessment.id)),
        )
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        db.session.scalars(
            select(Assessment)
            .options(joinedload(Assessment.scores))
            .where(Assessment.id == latest_before)
        )
        .unique()
        .first()
    )


def score_rows(user_id: int) -> list[tuple[int, str, int, datetime, str, float | None]]:
    """Every dimension score of the user, oldest first, in one query (for History)."""
    rows = db.session.execute(
        select(
            Assessment.id,
            Assessment.questionnaire_id,
            Assessment.questionnaire_version,
            Assessment.created_at,
            DimensionScore.dimension,
            DimensionScore.score,
        )
        .join(DimensionScore, DimensionScore.assessment_id == Assessment.id)
        .where(Assessment.user_id == user_id)
        .order_by(Assessment.created_at, Assessment.id, DimensionScore.id)
    )
    return [(a, q, v, t, d, s) for a, q, v, t, d, s in rows]  # a Row unpacks with its types
