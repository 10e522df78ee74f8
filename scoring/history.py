"""Many assessments at once, as pandas frames: what History shows and compares."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from questionnaires.models import Norms, Questionnaire

from .change import AnsweredOn, DimensionChange, compare_overall, compare_scores

# The columns of a history frame, in order, with their pandas types.
HISTORY_TYPES = {
    "assessment_id": "int64",
    "questionnaire_id": "object",
    "version": "int64",
    "created_at": "datetime64[us]",
    "dimension": "object",
    "score": "float64",
}
HISTORY_COLUMNS = tuple(HISTORY_TYPES)


def history_frame(
    rows: Iterable[tuple[int, str, int, datetime, str, float | None]],
) -> pd.DataFrame:
    """A long frame, one row per assessment and dimension, oldest first."""
    frame = pd.DataFrame.from_records(list(rows), columns=list(HISTORY_COLUMNS))
    frame = frame.astype(HISTORY_TYPES)
    return frame.sort_values(["created_at", "assessment_id"], kind="stable").reset_index(drop=True)


def score_or_none(value: float | None) -> float | None:
    """A score read from a frame: pandas' missing value (NaN) is "not enough answers", None."""
    return None if value is None or math.isnan(value) else float(value)


def scores_of(frame: pd.DataFrame, assessment_id: int) -> dict[str, float | None]:
    """Dimension id -> score of one assessment in a history frame."""
    rows = frame[frame["assessment_id"] == assessment_id]
    return {
        str(dimension): score_or_none(score)
        for dimension, score in zip(rows["dimension"], rows["score"], strict=True)
    }


def answered_on(versions: Mapping[int, Questionnaire], before: int, after: int) -> AnsweredOn:
    """The definitions of two version numbers (None for one this server does not know)."""
    return versions.get(before), versions.get(after)


def _ends(frame: pd.DataFrame, questionnaire_id: str) -> tuple[pd.DataFrame, list[int]]:
    """This questionnaire's rows, and its assessment ids oldest first."""
    rows = frame[frame["questionnaire_id"] == questionnaire_id]
    return rows, rows["assessment_id"].drop_duplicates().tolist()


def _version_of(rows: pd.DataFrame, assessment_id: int) -> int:
    return int(rows.loc[rows["assessment_id"] == assessment_id, "version"].iloc[0])


def _latest_against(
    frame: pd.DataFrame,
    questionnaire: Questionnaire,
    versions: Mapping[int, Questionnaire] | None,
) -> list[tuple[str, dict[str, float | None], dict[str, float | None], AnsweredOn]]:
    """("previous" and "first": that one's scores, the latest's, what each was answered on).

    Empty with fewer than two assessments of this questionnaire: nothing to compare.
    """
    known = versions if versions is not None else {questionnaire.version: questionnaire}
    rows, ids = _ends(frame, questionnaire.id)
    if len(ids) < 2:
        return []
    latest = scores_of(rows, ids[-1])
    latest_version = _version_of(rows, ids[-1])
    return [
        (
            key,
            scores_of(rows, other),
            latest,
            answered_on(known, _version_of(rows, other), latest_version),
        )
        for key, other in (("previous", ids[-2]), ("first", ids[0]))
    ]


def changes_since(
    frame: pd.DataFrame,
    questionnaire: Questionnaire,
    norms: Mapping[str, Norms] | None = None,
    *,
    versions: Mapping[int, Questionnaire] | None = None,
) -> dict[str, tuple[DimensionChange, ...]]:
    """The latest assessment against the previous one and against the first one.

    Only assessments of this questionnaire count (a pulse is compared with pulses); the
    newest version's norms judge (``norms`` as in ``compare_scores``), and only where a
    dimension asked the same questions both times. ``versions`` (version number ->
    definition) says what each was answered on; by default every row is taken as
    ``questionnaire``'s own version, and a version missing from it is never judged. Keys
    are absent when there is nothing to compare.
    """
    return {
        key: compare_scores(questionnaire, before, latest, norms, answered_on=on)
        for key, before, latest, on in _latest_against(frame, questionnaire, versions)
    }


def overall_changes_since(
    frame: pd.DataFrame,
    questionnaire: Questionnaire,
    norms: Mapping[str, Norms] | None = None,
    *,
    versions: Mapping[int, Questionnaire] | None = None,
) -> dict[str, DimensionChange]:
    """``changes_since`` for the overall score: judged only between the same areas."""
    return {
        key: compare_overall(questionnaire, before, latest, norms, answered_on=on)
        for key, before, latest, on in _latest_against(frame, questionnaire, versions)
    }


def thin_series(
    times: Sequence[Any], values: Sequence[float | None], max_points: int = 300
) -> tuple[list[Any], list[float | None]]:
    """At most ``max_points`` points: consecutive buckets averaged, each at its last time.

    A chart cannot show thousands of points on a phone anyway; the table beside it
    shows what the chart shows, and the CSV export keeps every score (docs/architecture.md#charts).
    """
    if len(times) <= max_points:
        return list(times), list(values)
    thinned_times: list[Any] = []
    thinned_values: list[float | None] = []
    count = len(times)
    for bucket in range(max_points):
        start = bucket * count // max_points
        end = (bucket + 1) * count // max_points
        present = [v for v in values[start:end] if v is not None]
        thinned_times.append(times[end - 1])
        thinned_values.append(round(sum(present) / len(present), 1) if present else None)
    return thinned_times, thinned_values
