"""What a check-up's pages read: a person's own assessment, the one before it, a submission."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from questionnaires.models import Strategy, StrategyLibrary

from ..core import Assessment, db
from ..safety import Flag, allowed_while


def find_by_token(user_id: int, token: str) -> Assessment | None:
    """The assessment this user already stored with this submission token, if any."""
    return db.session.scalar(
        select(Assessment).where(
            Assessment.user_id == user_id, Assessment.submission_token == token
        )
    )


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


def own_assessment_or_404(user_id: int, assessment_id: int) -> Assessment:
    """The user's own assessment with its scores; anyone else's is a 404, as if absent.

    Every route that takes an assessment id from a person asks this (result, share, plan,
    delete), so "someone else's looks absent" is decided in one place.
    """
    assessment = get_own_assessment(user_id, assessment_id)
    if assessment is None:
        abort(404)
    return assessment


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


def offered_suggestions(
    assessment: Assessment, library: StrategyLibrary, flag: Flag | None
) -> list[tuple[dict[str, Any], Strategy]]:
    """(stored suggestion, strategy) for what this result offers, in the order it was scored.

    A result whose own safety screen had a "yes", or any result while its person is
    recently flagged (``flag``), offers only the safe list chosen when it was scored, and
    of it only what is safe, whatever was stored (docs/architecture.md#safety). A strategy
    retired since is left out.
    """
    safe_only = assessment.safety_flag or flag is not None
    stored_list = assessment.suggestions
    if safe_only and assessment.safe_suggestions is not None:
        stored_list = assessment.safe_suggestions
    offered = []
    for stored in stored_list or []:
        try:
            strategy = library.by_id(stored["strategy_id"])
        except KeyError:
            continue
        if safe_only and not strategy.safe_if_flagged:
            continue
        if flag is not None and not allowed_while(flag, strategy):
            continue
        offered.append((stored, strategy))
    return offered
