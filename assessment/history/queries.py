"""What History reads: every score, and the list of assessments a page at a time (§5).

Two statements per page of the list, whatever the number of assessments: a count, then
the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from questionnaires.loader import Catalog

from ..core import Assessment, DimensionScore, db

PER_PAGE = 50
# A page number as people type it: ASCII digits, no sign, no leading zero, not absurdly long.
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


@dataclass(frozen=True)
class ListedAssessment:
    """One row of the list: when, which questionnaire, the overall score and its areas."""

    id: int
    created_at: datetime
    kind: str
    overall: float | None
    areas: int  # the areas with a score, which the overall averages
    of_areas: int  # the areas the questionnaire has

    @property
    def overall_is_partial(self) -> bool:
        """An overall of fewer areas than the questionnaire has ("overall of 5 areas")."""
        return self.overall is not None and self.areas < self.of_areas


@dataclass(frozen=True)
class ListPage:
    """One page of the list and where it sits among the others."""

    rows: list[ListedAssessment]
    number: int
    pages: int
    total: int

    @property
    def first_shown(self) -> int:
        """The position (from 1, newest first) of the page's first row."""
        return (self.number - 1) * PER_PAGE + 1 if self.rows else 0

    @property
    def last_shown(self) -> int:
        """The position of the page's last row."""
        return self.first_shown + len(self.rows) - 1 if self.rows else 0


def page_number(raw: str | None) -> int | None:
    """The page asked for in ``?page=``: 1 when absent, None when it is not a page number."""
    if raw is None:
        return 1
    return int(raw) if _PAGE_NUMBER.fullmatch(raw) else None


def assessment_page(user_id: int, number: int, catalog: Catalog) -> ListPage | None:
    """The person's assessments on page ``number``, or None for a page past the last."""
    total = db.session.scalar(
        select(func.count()).select_from(Assessment).where(Assessment.user_id == user_id)
    )
    pages = max(1, -(-int(total or 0) // PER_PAGE))
    if number > pages:
        return None
    titles = {q.id: q.title for q in catalog.latest_all()}
    sizes = {q.id: len(q.dimensions) for q in catalog.latest_all()}
    scored = (
        select(func.count(DimensionScore.id))
        .where(
            DimensionScore.assessment_id == Assessment.id,
            DimensionScore.score.is_not(None),
        )
        .correlate(Assessment)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Assessment.id,
            Assessment.created_at,
            Assessment.questionnaire_id,
            Assessment.overall,
            scored,
        )
        .where(Assessment.user_id == user_id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(PER_PAGE)
        .offset((number - 1) * PER_PAGE)
    )
    listed = [
        ListedAssessment(
            id=assessment_id,
            created_at=created_at,
            kind=titles.get(questionnaire_id, questionnaire_id),
            overall=overall,
            areas=int(areas),
            of_areas=sizes.get(questionnaire_id, int(areas)),
        )
        for assessment_id, created_at, questionnaire_id, overall, areas in rows
    ]
    return ListPage(rows=listed, number=number, pages=pages, total=int(total or 0))


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


def assessment_languages(user_id: int) -> dict[int, str]:
    """Assessment id -> the language its questions were read in, for every one of the user's:
    change is judged with the norms of the newer check-in's language (docs/architecture.md#norms).
    """
    rows = db.session.execute(
        select(Assessment.id, Assessment.language).where(Assessment.user_id == user_id)
    )
    return {assessment_id: language for assessment_id, language in rows}
