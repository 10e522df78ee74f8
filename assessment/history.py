"""History: trend lines per dimension, first-vs-latest radar and the change tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from questionnaires.loader import Catalog
from questionnaires.models import Questionnaire
from scoring import DimensionChange, changes_since, history_frame, thin_series

from . import charts
from .definitions import current_catalog
from .service import score_rows

bp = Blueprint("history", __name__)

MAX_CHART_POINTS = 300  # past this, a trace is averaged into buckets (table and export keep all)


@dataclass(frozen=True)
class TrendPanel:
    """One dimension's chart and the rows of the table beside it."""

    dimension_id: str
    label: str
    figure: dict
    rows: list[tuple[str, str, datetime, float | None]]  # (questionnaire title, id, time, score)
    thinned: bool


@dataclass(frozen=True)
class ChangeSection:
    """The change tables of one questionnaire: since the previous one and since the first."""

    definition: Questionnaire
    count: int
    first: datetime
    latest: datetime
    since_previous: tuple[DimensionChange, ...] | None
    since_first: tuple[DimensionChange, ...] | None


@bp.get("/history")
@login_required
def history() -> str:
    """Everything the person has answered, over time; an inviting empty state at first."""
    catalog = current_catalog()
    frame = history_frame(score_rows(current_user.id))
    if frame.empty:
        return render_template("history/history.html", empty=True)
    anchor = catalog.latest("checkup")
    sections = _change_sections(frame, catalog)
    radar_section = next((s for s in sections if s.count >= 1), None)
    radar = None
    radar_traces = []
    if radar_section is not None:
        radar_traces = _first_and_latest(frame, radar_section.definition)
        radar = charts.radar_figure(radar_section.definition, radar_traces)
    return render_template(
        "history/history.html",
        empty=False,
        panels=_trend_panels(frame, catalog, anchor),
        sections=sections,
        radar=radar,
        radar_traces=radar_traces,
        radar_definition=radar_section.definition if radar_section else None,
        assessment_count=frame["assessment_id"].nunique(),
    )


def _change_sections(frame: pd.DataFrame, catalog: Catalog) -> list[ChangeSection]:
    sections = []
    for definition in catalog.latest_all():
        rows = frame[frame["questionnaire_id"] == definition.id]
        if rows.empty:
            continue
        changes = changes_since(frame, definition)
        sections.append(
            ChangeSection(
                definition=definition,
                count=rows["assessment_id"].nunique(),
                first=rows["created_at"].iloc[0].to_pydatetime(),
                latest=rows["created_at"].iloc[-1].to_pydatetime(),
                since_previous=changes.get("previous"),
                since_first=changes.get("first"),
            )
        )
    return sections


def _first_and_latest(
    frame: pd.DataFrame, definition: Questionnaire
) -> list[tuple[str, dict[str, float | None]]]:
    rows = frame[frame["questionnaire_id"] == definition.id]
    ids = rows["assessment_id"].drop_duplicates().tolist()

    def scores_of(assessment_id: int) -> dict[str, float | None]:
        one = rows[rows["assessment_id"] == assessment_id]
        return {
            dimension: (None if pd.isna(score) else float(score))
            for dimension, score in zip(one["dimension"], one["score"], strict=True)
        }

    if len(ids) == 1:
        return [("Your only " + definition.title.lower(), scores_of(ids[0]))]
    return [("Latest", scores_of(ids[-1])), ("First", scores_of(ids[0]))]


def _trend_panels(frame: pd.DataFrame, catalog: Catalog, anchor: Questionnaire) -> list[TrendPanel]:
    titles = {d.id: d.title for d in catalog.latest_all()}
    panels = []
    for dimension in anchor.dimensions:
        rows_of_dimension = frame[frame["dimension"] == dimension.id]
        series = []
        table_rows = []
        thinned = False
        for questionnaire_id, rows in rows_of_dimension.groupby("questionnaire_id", sort=False):
            times = [t.to_pydatetime() for t in rows["created_at"]]
            values = [None if pd.isna(v) else float(v) for v in rows["score"]]
            chart_times, chart_values = thin_series(times, values, MAX_CHART_POINTS)
            thinned = thinned or len(chart_times) < len(times)
            title = titles.get(str(questionnaire_id), str(questionnaire_id))
            series.append((str(questionnaire_id), title, chart_times, chart_values))
            table_rows.extend(
                (title, str(questionnaire_id), moment, value)
                for moment, value in zip(chart_times, chart_values, strict=True)
            )
        table_rows.sort(key=lambda row: row[2])
        panels.append(
            TrendPanel(
                dimension_id=dimension.id,
                label=dimension.label,
                figure=charts.trend_figure(dimension.label, series),
                rows=table_rows,
                thinned=thinned,
            )
        )
    return panels
