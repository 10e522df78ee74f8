"""View data of History: trend panels, the change tables and "What you tried"."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from questionnaires.loader import SOURCE_LANGUAGE, Catalog
from questionnaires.models import Questionnaire
from scoring import (
    DimensionChange,
    changes_since,
    changes_while_trying,
    overall_changes_since,
    score_or_none,
    scores_of,
    thin_series,
)

from ..core import PlanStatus, Talk, charts, in_sentence
from ..norms import NormsInUse, norms_in_use
from ..plans import PlanRow
from ..talk import area_label, talked_at

# Past this, a trace is averaged into buckets: a phone chart cannot show more points, and the
# table beside it shows what the chart shows. The CSV export keeps every single score.
MAX_CHART_POINTS = 120


@dataclass(frozen=True)
class TrendPanel:
    """One dimension's chart and the rows of the table beside it."""

    dimension_id: str
    label: str
    figure: charts.Figure
    rows: list[tuple[str, str, datetime, float | None]]  # (questionnaire title, id, time, score)
    thinned: bool


@dataclass(frozen=True)
class TriedRow:
    """One plan in "What you tried": what it was, what was said, what changed alongside."""

    title: str
    dimension: str
    chosen: datetime
    tried: str
    helped: str
    change: DimensionChange | None
    talk: bool = False  # a talk (docs/architecture.md#talk), not a plan


@dataclass(frozen=True)
class ChangeSection:
    """The change tables of one questionnaire: since the previous one and since the first."""

    definition: Questionnaire
    count: int
    first: datetime
    latest: datetime
    since_previous: tuple[DimensionChange, ...] | None
    since_first: tuple[DimensionChange, ...] | None
    norms: NormsInUse
    # When the questions changed (docs/architecture.md#versions): the first time the newest version
    # was taken, and the versions seen; None when every one was answered on the same version.
    questions_changed: tuple[datetime, tuple[int, ...]] | None = None
    # The overall score's change beside each table: judged only between the same areas.
    overall_previous: DimensionChange | None = None
    overall_first: DimensionChange | None = None


def change_sections(
    frame: pd.DataFrame, catalog: Catalog, languages: Mapping[int, str]
) -> list[ChangeSection]:
    """One section per questionnaire answered: the change tables, judged by its norms.

    Both tables compare the latest check-in with an earlier one, so the latest's language
    (``languages``: assessment id -> language) picks the norms (docs/architecture.md#norms).
    Each area is judged only where it asked the same questions both times; elsewhere its
    delta says "the questions changed: not judged" (docs/architecture.md#versions).
    """
    sections = []
    for definition in catalog.latest_all():
        rows = frame[frame["questionnaire_id"] == definition.id]
        if rows.empty:
            continue
        latest = int(rows["assessment_id"].iloc[-1])
        norms = norms_in_use(definition, languages.get(latest, SOURCE_LANGUAGE))
        versions = catalog.versions(definition.id)
        changes = changes_since(frame, definition, norms.by_dimension, versions=versions)
        overall = overall_changes_since(frame, definition, norms.by_dimension, versions=versions)
        sections.append(
            ChangeSection(
                definition=definition,
                count=rows["assessment_id"].nunique(),
                first=rows["created_at"].iloc[0].to_pydatetime(),
                latest=rows["created_at"].iloc[-1].to_pydatetime(),
                since_previous=changes.get("previous"),
                since_first=changes.get("first"),
                norms=norms,
                questions_changed=_questions_changed(rows),
                overall_previous=overall.get("previous"),
                overall_first=overall.get("first"),
            )
        )
    return sections


def _questions_changed(rows: pd.DataFrame) -> tuple[datetime, tuple[int, ...]] | None:
    """When the newest version was first answered, and every version seen (or None)."""
    versions = tuple(sorted(int(v) for v in rows["version"].unique()))
    if len(versions) < 2:
        return None
    newest = rows[rows["version"] == versions[-1]]
    return newest["created_at"].iloc[0].to_pydatetime(), versions


def first_and_latest(
    frame: pd.DataFrame, definition: Questionnaire
) -> list[tuple[str, dict[str, float | None]]]:
    """The radar's traces: the latest and the first (or the only) one of a questionnaire."""
    rows = frame[frame["questionnaire_id"] == definition.id]
    ids = rows["assessment_id"].drop_duplicates().tolist()
    if len(ids) == 1:
        # NOTE: the radar's legend when there is one check-in: "Your only check-up".
        only = _("Your only %(title)s", title=in_sentence(definition.title))
        return [(only, scores_of(rows, ids[0]))]
    # NOTE: the radar's legend: the latest and the first check-in of a kind.
    return [(_("Latest"), scores_of(rows, ids[-1])), (_("First"), scores_of(rows, ids[0]))]


# NOTE: "What you tried" table, the Tried column: did the person try the plan?
TRIED_WORDS = {"yes": _l("yes"), "partly": _l("partly"), "no": _l("not yet")}
# NOTE: "What you tried" table, the Helped column: did the plan help?
HELPED_WORDS = {"yes": _l("yes"), "unsure": _l("not sure"), "no": _l("no")}
# What "tried" says of a plan nobody reported on yet.
UNREPORTED_WORDS = {PlanStatus.ACTIVE: _l("not asked yet"), PlanStatus.DROPPED: _l("let go")}


def plan_markers(
    frame: pd.DataFrame, catalog: Catalog, plan_rows: list[PlanRow]
) -> dict[str, list[tuple[datetime, float | None, str]]]:
    """Dimension -> stars at the dimension's score when a plan was chosen and reported on."""
    if not plan_rows:
        return {}
    # Only the assessments plans were chosen or reported at: a few rows, not the whole history.
    wanted = {row.plan.assessment_id for row in plan_rows} | {
        checkin.assessment_id for row in plan_rows for checkin in row.checkins
    }
    near = frame[frame["assessment_id"].isin(wanted)]
    scores = {
        (int(a), str(d)): score_or_none(v)
        for a, d, v in zip(
            near["assessment_id"].tolist(),
            near["dimension"].tolist(),
            near["score"].tolist(),
            strict=True,
        )
    }
    times = dict(zip(near["assessment_id"].tolist(), near["created_at"].tolist(), strict=True))
    markers: dict[str, list[tuple[datetime, float | None, str]]] = {}
    for row in plan_rows:
        title = _strategy_title(catalog, row.plan.strategy_id)
        found = markers.setdefault(row.plan.dimension, [])
        chosen_at = times.get(row.plan.assessment_id)
        if chosen_at is not None:
            found.append(
                (
                    chosen_at.to_pydatetime(),
                    scores.get((row.plan.assessment_id, row.plan.dimension)),
                    # NOTE: hover text of a star on a trend chart; title is a strategy's.
                    _("Chose to try: %(title)s", title=title),
                )
            )
        for checkin in row.checkins:
            reported_at = times.get(checkin.assessment_id)
            if reported_at is not None:
                found.append(
                    (
                        reported_at.to_pydatetime(),
                        scores.get((checkin.assessment_id, row.plan.dimension)),
                        _(
                            "Said how it went: %(title)s (tried: %(tried)s)",
                            title=title,
                            tried=str(TRIED_WORDS[checkin.tried]),
                        ),
                    )
                )
    return markers


def _strategy_title(catalog: Catalog, strategy_id: str) -> str:
    try:
        return catalog.strategies.by_id(strategy_id).title
    except KeyError:
        return _("A strategy no longer offered")


def judging_languages(
    frame: pd.DataFrame,
    questionnaire_id: str,
    moments: Sequence[tuple[str, datetime]],
    languages: Mapping[int, str],
) -> list[str]:
    """For each (dimension, moment): the language of the check-in whose norms judge the change
    across it. That is the newer one compared, the first after the moment (as
    ``changes_while_trying`` cuts); with none after, no change is judged, and the latest
    check-in's language names the norms a coming one will most likely use."""
    rows = frame[frame["questionnaire_id"] == questionnaire_id]
    if rows.empty:
        return [SOURCE_LANGUAGE] * len(moments)
    fallback = languages.get(int(rows["assessment_id"].iloc[-1]), SOURCE_LANGUAGE)
    series: dict[str, tuple[list[pd.Timestamp], list[int]]] = {
        str(dimension): (part["created_at"].tolist(), part["assessment_id"].tolist())
        for dimension, part in rows.groupby("dimension", sort=False)
    }
    found = []
    for dimension, moment in moments:
        times, ids = series.get(dimension, ([], []))
        cut = bisect_right(times, moment)
        found.append(languages.get(int(ids[cut]), fallback) if cut < len(ids) else fallback)
    return found


def _plans_by_norms(
    frame: pd.DataFrame, plan_rows: list[PlanRow], languages: Mapping[int, str]
) -> dict[tuple[str, str], list[PlanRow]]:
    """(questionnaire id, language of the norms judging it) -> its plans, in their order."""
    by_questionnaire: dict[str, list[PlanRow]] = {}
    for row in plan_rows:
        by_questionnaire.setdefault(row.questionnaire_id, []).append(row)
    groups: dict[tuple[str, str], list[PlanRow]] = {}
    for questionnaire_id, rows in by_questionnaire.items():
        moments = [(r.plan.dimension, r.plan.created_at) for r in rows]
        judged_in = judging_languages(frame, questionnaire_id, moments, languages)
        for row, language in zip(rows, judged_in, strict=True):
            groups.setdefault((questionnaire_id, language), []).append(row)
    return groups


def tried_rows(
    frame: pd.DataFrame,
    catalog: Catalog,
    plan_rows: list[PlanRow],
    languages: Mapping[int, str],
) -> list[TriedRow]:
    """One row per plan, newest first, with the change in its dimension while tried, judged
    with the norms of the language of the check-in after the plan was chosen."""
    changes: dict[int, DimensionChange | None] = {}
    for (questionnaire_id, language), rows in _plans_by_norms(frame, plan_rows, languages).items():
        try:
            questionnaire = catalog.latest(questionnaire_id)
        except KeyError:
            continue
        found = changes_while_trying(
            frame,
            questionnaire,
            [(r.plan.dimension, r.plan.created_at) for r in rows],
            norms_in_use(questionnaire, language).by_dimension,
            versions=catalog.versions(questionnaire_id),
        )
        changes.update(zip((r.plan.id for r in rows), found, strict=True))
    labels: dict[str, str] = {d.id: d.label for q in catalog.latest_all() for d in q.dimensions}
    tried_rows = []
    for row in reversed(plan_rows):
        last = row.checkins[-1] if row.checkins else None
        if last is not None:
            tried = str(TRIED_WORDS[last.tried])
        else:
            tried = str(UNREPORTED_WORDS.get(PlanStatus(row.plan.status), "—"))
        helped = str(HELPED_WORDS.get(last.helped, "—")) if last and last.helped else "—"
        tried_rows.append(
            TriedRow(
                title=_strategy_title(catalog, row.plan.strategy_id),
                dimension=labels.get(row.plan.dimension, row.plan.dimension),
                chosen=row.plan.created_at,
                tried=tried,
                helped=helped,
                change=changes.get(row.plan.id),
            )
        )
    return tried_rows


def tried_norms(
    frame: pd.DataFrame,
    catalog: Catalog,
    plan_rows: list[PlanRow],
    languages: Mapping[int, str],
) -> list[NormsInUse]:
    """The norms "What you tried" judges its changes with: one per questionnaire and
    language it uses."""
    found = []
    for questionnaire_id, language in _plans_by_norms(frame, plan_rows, languages):
        try:
            found.append(norms_in_use(catalog.latest(questionnaire_id), language))
        except KeyError:
            continue
    return found


def distinct_notes(norms: list[NormsInUse]) -> list[NormsInUse]:
    """Each questionnaire's norms notes once: two languages both judged with provisional
    norms read the same, and the table needs that line only once."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for found in norms:
        key = (found.definition.id, found.summary())
        if key not in seen:
            seen.add(key)
            kept.append(found)
    return kept


# Talks are judged on check-ups: only full check-ups are shared, and a talk starts from them.
TALKS_MEASURED_ON = "checkup"
TALK_MARKER = {"symbol": "triangle-up", "color": "#009E73"}
# NOTE: legend entry of the triangles marking talks on a trend chart.
TALK_MARKER_NAME = _l("Talks")


def talk_rows(
    frame: pd.DataFrame, catalog: Catalog, talks: list[Talk], languages: Mapping[int, str]
) -> tuple[list[TriedRow], list[NormsInUse]]:
    """Each talk about an area, with the area's change from the last check-up before it to
    the first one after (the rule "What you tried" uses for plans), and the norms judging
    them: those of the language the check-up after was read in.
    """
    held = [t for t in talks if t.dimension is not None and t.joined_at is not None]
    if not held:
        return [], []
    questionnaire = catalog.latest(TALKS_MEASURED_ON)
    moments = [(str(t.dimension), talked_at(t)) for t in held]
    judged_in = judging_languages(frame, TALKS_MEASURED_ON, moments, languages)
    used: dict[str, NormsInUse] = {}
    found: dict[int, DimensionChange | None] = {}
    for language in dict.fromkeys(judged_in):
        norms = used[language] = norms_in_use(questionnaire, language)
        group = [i for i, judged in enumerate(judged_in) if judged == language]
        judged = changes_while_trying(
            frame, questionnaire, [moments[i] for i in group], norms.by_dimension
        )
        found.update(zip(group, judged, strict=True))
    changes = [found[i] for i in range(len(held))]
    rows = [
        TriedRow(
            # NOTE: a talk's row in "What you tried"; area is the area talked about.
            title=_("Talked about %(area)s", area=area_label(t.dimension)),
            dimension=area_label(t.dimension),
            chosen=talked_at(t),
            # NOTE: the Tried column of a talk's row: the two of you talked.
            tried=_("talked together"),
            helped="—",
            change=change,
            talk=True,
        )
        for t, change in zip(held, changes, strict=True)
    ]
    return rows, list(used.values())


def talk_markers(
    frame: pd.DataFrame, talks: list[Talk]
) -> dict[str, list[tuple[datetime, float | None, str]]]:
    """Dimension -> a mark at each talk, at the area's last check-up score before it (the
    first one after, when there is none before)."""
    markers: dict[str, list[tuple[datetime, float | None, str]]] = {}
    checkups = frame[frame["questionnaire_id"] == TALKS_MEASURED_ON]
    for talk in talks:
        if talk.dimension is None or talk.joined_at is None:
            continue
        moment = talked_at(talk)
        area = checkups[checkups["dimension"] == talk.dimension]
        before = area[area["created_at"] <= moment]
        near = before.tail(1) if not before.empty else area.head(1)
        score = score_or_none(near["score"].iloc[0]) if not near.empty else None
        label = _("Talked about %(area)s", area=area_label(talk.dimension))
        markers.setdefault(talk.dimension, []).append((moment, score, label))
    return markers


def trend_panels(
    frame: pd.DataFrame,
    catalog: Catalog,
    anchor: Questionnaire,
    markers: dict[str, list[tuple[datetime, float | None, str]]],
    talks: dict[str, list[tuple[datetime, float | None, str]]] | None = None,
) -> list[TrendPanel]:
    """One chart and table per dimension, each trace thinned past what a phone can show."""
    titles = {d.id: d.title for d in catalog.latest_all()}
    # One pass over the frame, not one filter per dimension: History grows with every check-in.
    groups: dict[str, list[tuple[str, pd.DataFrame]]] = {}
    for (dimension_id, questionnaire_id), rows in frame.groupby(
        ["dimension", "questionnaire_id"], sort=False
    ):
        groups.setdefault(str(dimension_id), []).append((str(questionnaire_id), rows))
    panels = []
    for dimension in anchor.dimensions:
        series = []
        table_rows: list[tuple[str, str, datetime, float | None]] = []
        thinned = False
        for questionnaire_id, rows in groups.get(dimension.id, []):
            times = rows["created_at"].tolist()
            values = [score_or_none(v) for v in rows["score"].tolist()]
            chart_times, chart_values = thin_series(times, values, MAX_CHART_POINTS)
            chart_times = [moment.to_pydatetime() for moment in chart_times]
            thinned = thinned or len(chart_times) < len(times)
            title = titles.get(str(questionnaire_id), str(questionnaire_id))
            series.append((str(questionnaire_id), title, chart_times, chart_values))
            table_rows.extend(
                (title, str(questionnaire_id), moment, value)
                for moment, value in zip(chart_times, chart_values, strict=True)
            )
        table_rows.sort(key=lambda row: row[2])
        figure = charts.trend_figure(dimension.label, series)
        if markers.get(dimension.id):
            figure["data"].append(charts.plan_marker_trace(markers[dimension.id]))
            figure["layout"]["showlegend"] = True
        if talks and talks.get(dimension.id):
            figure["data"].append(
                charts.plan_marker_trace(
                    talks[dimension.id], name=str(TALK_MARKER_NAME), **TALK_MARKER
                )
            )
            figure["layout"]["showlegend"] = True
        panels.append(
            TrendPanel(
                dimension_id=dimension.id,
                label=dimension.label,
                figure=figure,
                rows=table_rows,
                thinned=thinned,
            )
        )
    return panels
