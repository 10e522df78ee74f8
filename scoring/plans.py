"""Follow-through: what a check-in means, and what changed while a plan was tried."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pandas as pd

from questionnaires.models import Questionnaire

from .change import DimensionChange, compare_scores

TRIED_CHOICES = ("yes", "partly", "no")  # "no" means "not yet, keep it"
HELPED_CHOICES = ("yes", "unsure", "no")


def closes_plan(tried: str) -> bool:
    """A plan that was tried, fully or partly, is done; "not yet" keeps it going."""
    return tried in ("yes", "partly")


def counted_helped(tried: str, helped: str | None) -> str | None:
    """ "Did it help?" only counts for a plan that was tried."""
    return helped if closes_plan(tried) else None


def unhelpful_strategies(reports: Iterable[tuple[str, str, str | None]]) -> frozenset[str]:
    """Strategies the person said did not help: (strategy id, tried, helped) reports."""
    return frozenset(
        strategy_id
        for strategy_id, tried, helped in reports
        if counted_helped(tried, helped) == "no"
    )


def change_while_trying(
    frame: pd.DataFrame, questionnaire: Questionnaire, dimension: str, chosen_at: datetime
) -> DimensionChange | None:
    """The dimension's change from the last assessment before the plan to the first after.

    Only assessments of the plan's questionnaire count (a check-up plan is measured on
    check-ups). None until there is an assessment on each side. What changed alongside,
    never proof that the plan caused it.
    """
    rows = frame[
        (frame["questionnaire_id"] == questionnaire.id) & (frame["dimension"] == dimension)
    ]
    before = rows[rows["created_at"] <= pd.Timestamp(chosen_at)]
    after = rows[rows["created_at"] > pd.Timestamp(chosen_at)]
    if before.empty or after.empty:
        return None

    def score(row: pd.Series) -> float | None:
        return None if pd.isna(row["score"]) else float(row["score"])

    changes = compare_scores(
        questionnaire,
        {dimension: score(before.iloc[-1])},
        {dimension: score(after.iloc[0])},
    )
    return next(change for change in changes if change.dimension == dimension)
