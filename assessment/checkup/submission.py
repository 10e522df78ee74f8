"""A check-up's submission: score it and store it in one transaction.

See docs/architecture.md#submissions.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from questionnaires.loader import SOURCE_LANGUAGE, Catalog
from questionnaires.models import Questionnaire
from scoring import ScoredAssessment, Suggestion, score_assessment, unhelpful_strategies

from ..core import Answer, Assessment, DimensionScore, Plan, SafetyResponse, User, db, utcnow
from ..safety import extend_flag, recently_flagged, unpaused
from . import checkins as followthrough
from .queries import find_by_token


def new_submission_token() -> str:
    """A random token drawn into each form, so a repeated post stores one assessment."""
    return secrets.token_urlsafe(24)


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


def store_assessment(
    user: User,
    questionnaire: Questionnaire,
    catalog: Catalog,
    answers: Mapping[str, int | None],
    safety: Mapping[str, str],
    submission_token: str,
    created_at: datetime | None = None,
    checkins: followthrough.Checkins | None = None,
    language: str = SOURCE_LANGUAGE,
) -> Assessment:
    """Score and store answers, safety responses, scores and plan check-ins, or nothing.

    A second post with the same token (a double click, a replay, a race between
    two workers) returns the assessment the first one stored. Check-ins are never
    scored; a strategy reported as not helping is ranked last in its dimension.
    A "yes" on its own safety screen makes the person's flag last 90 days from it, and
    while that lasts every result offers only what is safe (docs/architecture.md#safety).
    """
    existing = find_by_token(user.id, submission_token)
    if existing is not None:
        return existing
    moment = created_at or utcnow()
    checkins = checkins or {}
    flag = recently_flagged(user, moment)
    # Paused plans are not asked about: their check-in fields were never shown.
    asked = unpaused(followthrough.active_plans(user.id), flag, catalog.strategies)
    active = {plan.id: plan for plan in asked}
    checkins = {plan_id: answer for plan_id, answer in checkins.items() if plan_id in active}
    scored = score_assessment(
        questionnaire,
        catalog.strategies,
        answers,
        safety,
        unhelpful=_unhelpful(user.id, active, checkins),
        sexual_violence_before=flag is not None and flag.sexual_violence,
    )
    assessment = _assessment_row(user, questionnaire, scored, submission_token, moment)
    assessment.language = language
    assessment.answers = [Answer(item_id=k, value=v) for k, v in answers.items()]
    assessment.safety_responses = [SafetyResponse(item_id=k, response=v) for k, v in safety.items()]
    db.session.add(assessment)
    extend_flag(user, moment, scored.flagged, scored.names_sexual_violence)
    try:
        if checkins:
            db.session.flush()  # the check-ins need the assessment's id; still one transaction
            followthrough.record_checkins(assessment, active, checkins, moment)
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
    now = [
        (active[plan_id].strategy_id, answer.tried, answer.helped)
        for plan_id, answer in checkins.items()
    ]
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
        safe_suggestions=suggestions_to_json(scored.safe_suggestions),
    )
    assessment.scores = [DimensionScore(dimension=k, score=v) for k, v in scored.scores.items()]
    return assessment
