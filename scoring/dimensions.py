"""Dimension scores on 0-100, the overall score, bands and focus areas.

See docs/architecture.md#scoring.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from questionnaires.models import Questionnaire

from .keying import keyed_value

BANDS = ("strength", "steady", "growth")
BAND_LABELS = {"strength": "strength", "steady": "steady", "growth": "room to grow"}
# Rekindle's own provisional cut-offs on the 0-100 scale (docs/architecture.md#scoring), not
# published norms.
STRENGTH_FROM = 75.0
STEADY_FROM = 50.0
# A dimension is scored only when at least two thirds of its items are answered.
MIN_ANSWERED_SHARE = (2, 3)
FOCUS_SIZE = 2


def required_answers(item_count: int) -> int:
    """How many answers a dimension of ``item_count`` items needs: 2 of 3, 4 of 5 or 6."""
    numerator, denominator = MIN_ANSWERED_SHARE
    return math.ceil(item_count * numerator / denominator)


def dimension_score(
    questionnaire: Questionnaire, dimension_id: str, answers: Mapping[str, int | None]
) -> float | None:
    """``100 * (mean keyed - min) / (max - min)`` rounded once to 1 decimal, or None.

    Computed from integer sums so that a true tie such as 56.25 is exact and
    Python's ``round`` takes it to the even neighbour (56.2), as docs/architecture.md#scoring says.
    """
    scale = questionnaire.scale
    items = questionnaire.items_of(dimension_id)
    keyed = [keyed_value(item, scale, answers.get(item.id)) for item in items]
    present = [value for value in keyed if value is not None]
    if not present or len(present) < required_answers(len(items)):
        return None
    count = len(present)
    above_min = sum(present) - scale.min * count
    return round(100 * above_min / ((scale.max - scale.min) * count), 1)


def dimension_scores(
    questionnaire: Questionnaire, answers: Mapping[str, int | None]
) -> dict[str, float | None]:
    """Every dimension's score, in definition order."""
    return {d.id: dimension_score(questionnaire, d.id, answers) for d in questionnaire.dimensions}


def overall_score(scores: Mapping[str, float | None], minimum: int | None = None) -> float | None:
    """The mean of the dimension scores present, when at least ``minimum`` are (default: all).

    v1 and v2 need every dimension; v3 says in its YAML that 5 of 6 will do
    (``Questionnaire.overall_minimum``, docs/architecture.md#scoring).
    """
    values = [value for value in scores.values() if value is not None]
    needed = len(scores) if minimum is None else minimum
    if not values or len(values) < needed:
        return None
    return round(sum(values) / len(values), 1)


def overall_of(questionnaire: Questionnaire, scores: Mapping[str, float | None]) -> float | None:
    """The overall score by this questionnaire's own rule."""
    return overall_score(
        {d.id: scores.get(d.id) for d in questionnaire.dimensions}, questionnaire.overall_minimum
    )


def band(score: float | None) -> str | None:
    """``strength`` >= 75, ``steady`` 50-74.9, ``growth`` < 50; None when unscored."""
    if score is None:
        return None
    if score >= STRENGTH_FROM:
        return "strength"
    if score >= STEADY_FROM:
        return "steady"
    return "growth"


@dataclass(frozen=True)
class Focus:
    """Where attention will help most, and what could not be scored."""

    dimensions: tuple[str, ...]
    keep_strong: bool
    needs_more_answers: tuple[str, ...]


def focus_areas(questionnaire: Questionnaire, scores: Mapping[str, float | None]) -> Focus:
    """The two lowest dimensions that are not strengths; else the lowest, to keep strong.

    Ties go to the dimension defined first; an unscored dimension is never a focus.
    """
    order = {d.id: index for index, d in enumerate(questionnaire.dimensions)}
    unscored = tuple(d.id for d in questionnaire.dimensions if scores.get(d.id) is None)
    scored = sorted(
        ((scores[d], order[d]) for d in order if scores.get(d) is not None),
    )
    by_rank = [questionnaire.dimensions[index].id for _score, index in scored]
    not_strengths = [d for d in by_rank if band(scores[d]) != "strength"]
    if not_strengths:
        return Focus(tuple(not_strengths[:FOCUS_SIZE]), False, unscored)
    if by_rank:
        return Focus((by_rank[0],), True, unscored)
    return Focus((), False, unscored)
