"""Follow-through: what a check-in means, and what changed while a plan was tried."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import pandas as pd

from questionnaires.models import Norms, Questionnaire

from .change import DimensionChange, compare_scores
from .history import answered_on, score_or_none

TRIED_CHOICES = ("yes", "partly", "no")  # "no" means "not yet, keep it"
HELPED_CHOICES = ("yes", "unsure", "no")


KEEP_CHOICES = ("yes",)  # "keep trying it": a plan that was tried stays on the list


def was_tried(tried: str) -> bool:
    """Whether a check-in says the plan was tried, fully or partly."""
    return tried in ("yes", "partly")


def closes_plan(tried: str, keep: bool = False) -> bool:
    """A plan that was tried is done, unless the person chose to keep trying it; "not yet"
    keeps it going either way."""
    return was_tried(tried) and not keep


def counted_helped(tried: str, helped: str | None) -> str | None:
    """ "Did it help?" only counts for a plan that was tried."""
    return helped if was_tried(tried) else None


def unhelpful_strategies(reports: Iterable[tuple[str, str, str | None]]) -> frozenset[str]:
    """Strategies the person said did not help: (strategy id, tried, helped) reports."""
    return frozenset(
        strategy_id
        for strategy_id, tried, helped in reports
        if counted_helped(tried, helped) == "no"
    )


def change_while_trying(
    frame: pd.DataFrame,
    questionnaire: Questionnaire,
    dimension: str,
    chosen_at: datetime,
    norms: Mapping[str, Norms] | None = None,
    *,
    versions: Mapping[int, Questionnaire] | None = None,
) -> DimensionChange | None:
    """The dimension's change from the last assessment before the plan to the first after.

    Only assessments of the plan's questionnaire count (a check-up plan is measured on
    check-ups). None until there is an assessment on each side. What changed alongside,
    never proof that the plan caused it; judged only where the dimension asked the same
    questions both times (``versions`` as in ``changes_since``).
    """
    return changes_while_trying(
        frame, questionnaire, [(dimension, chosen_at)], norms, versions=versions
    )[0]


def changes_while_trying(
    frame: pd.DataFrame,
    questionnaire: Questionnaire,
    plans: Sequence[tuple[str, datetime]],
    norms: Mapping[str, Norms] | None = None,
    *,
    versions: Mapping[int, Questionnaire] | None = None,
) -> list[DimensionChange | None]:
    """``change_while_trying`` for many (dimension, chosen at) plans in one pass per dimension.

    Each dimension's series is cut once and searched with bisection, so a long history
    with many plans costs a sort, not a scan per plan.
    """
    known = versions if versions is not None else {questionnaire.version: questionnaire}
    mine = frame[frame["questionnaire_id"] == questionnaire.id]
    series: dict[str, tuple[list[pd.Timestamp], list[float | None], list[int]]] = {}
    for dimension, rows in mine.groupby("dimension", sort=False):
        times = rows["created_at"].tolist()  # Timestamps compare with datetimes as they are
        scores = [score_or_none(value) for value in rows["score"].tolist()]
        series[str(dimension)] = (times, scores, [int(v) for v in rows["version"].tolist()])
    found: list[DimensionChange | None] = []
    for dimension, chosen_at in plans:
        times, scores, asked = series.get(dimension, ([], [], []))
        cut = bisect_right(times, chosen_at)
        if cut == 0 or cut == len(times):
            found.append(None)
            continue
        changes = compare_scores(
            questionnaire,
            {dimension: scores[cut - 1]},
            {dimension: scores[cut]},
            norms,
            answered_on=answered_on(known, asked[cut - 1], asked[cut]),
        )
        found.append(next(change for change in changes if change.dimension == dimension))
    return found
