"""View data of the partner pages: the comparison, the gaps over time and the share switch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from questionnaires.models import Questionnaire, Starter, StarterDirection
from scoring import (
    SEE_DIFFERENTLY,
    SEE_SAME,
    AnsweredOn,
    Gap,
    pair_checkups,
    perception_gaps,
    thin_series,
)

from ..core import Assessment, charts, current_catalog, format_score, radar
from ..norms import NormsInUse, norms_in_use
from ..safety import Flag
from .queries import SHAREABLE, SharedCheckup, is_linked

DATES_APART = timedelta(days=30)
MAX_CHART_POINTS = 300

RADAR_DESCRIPTION = _l(
    "Radar chart of the shared scores in each area, from 0 to 100. The same figures are in the"
    " table beside it."
)

# The scoring engine names a gap in English and stays free of Flask; the page says it in the
# reader's language (docs/architecture.md#languages).
GAP_WORDS = {
    SEE_DIFFERENTLY: _l("you see this differently"),
    SEE_SAME: _l("you see this much the same"),
}


def gap_words(label: str) -> str:
    """A gap's label from ``scoring`` as the reader's language says it."""
    return str(GAP_WORDS.get(label, label))


def share_switch(assessment: Assessment, flag: Flag | None) -> dict[str, bool] | None:
    """What the result page's share switch shows, or None when it shows nothing at all.

    While the person is flagged (``flag``) nothing suggests sharing or inviting: the switch
    of an unflagged check-up stays, folded away and labelled optional.
    """
    if assessment.questionnaire_id != SHAREABLE or assessment.safety_flag:
        return None
    linked = is_linked(assessment.user_id)
    quiet = flag is not None
    if quiet and not linked and not assessment.shared:
        return None  # nothing to switch, and no suggestion to invite anyone
    return {"shared": assessment.shared, "linked": linked, "quiet": quiet}


def _definition_for(*checkups: SharedCheckup) -> Questionnaire:
    """The newer version of the two: its dimensions and norms judge the gap."""
    catalog = current_catalog()
    version = max(c.version for c in checkups)
    try:
        return catalog.get(SHAREABLE, version)
    except KeyError:
        return catalog.latest(SHAREABLE)


def _answered_on(you: SharedCheckup, partner: SharedCheckup) -> AnsweredOn:
    """The versions the two answered: a gap is judged only where both asked the same questions."""
    versions = current_catalog().versions(SHAREABLE)
    return versions.get(you.version), versions.get(partner.version)


def gaps_between(mine: SharedCheckup, theirs: SharedCheckup) -> tuple[tuple[Gap, ...], NormsInUse]:
    """Per dimension, how far apart two shared check-ups are, by the rule of this page:
    "you see this differently" from 1.96 x S_diff, on the norms of the newer version in the
    language the newer check-up was read in, and only where both answered the same questions.

    The talk room asks this too, so both pages name the same areas
    (docs/architecture.md#partner).
    """
    definition = _definition_for(mine, theirs)
    newer = max(mine, theirs, key=lambda c: (c.created_at, c.id))
    norms = norms_in_use(definition, newer.language)
    gaps = perception_gaps(
        definition,
        mine.scores,
        theirs.scores,
        norms.by_dimension,
        answered_on=_answered_on(mine, theirs),
    )
    return gaps, norms


def comparison(
    mine: list[SharedCheckup], theirs: list[SharedCheckup], show_starters: bool
) -> dict[str, Any]:
    """The latest shared check-up of each of you side by side, and the gaps between them."""
    latest_mine = mine[-1] if mine else None
    latest_theirs = theirs[-1] if theirs else None
    shown = [c for c in (latest_mine, latest_theirs) if c is not None]
    if not shown:
        return {"mine": None, "theirs": None}
    definition = _definition_for(*shown)
    traces = []
    if latest_mine:
        traces.append((_("You"), latest_mine.scores))
    if latest_theirs:
        traces.append((_("Your partner"), latest_theirs.scores))
    page: dict[str, Any] = {
        "mine": latest_mine,
        "theirs": latest_theirs,
        "definition": definition,
        "radar": radar.radar_svg(definition, traces, str(RADAR_DESCRIPTION), format_score),
        "radar_traces": traces,
        "gaps": None,
        "gap_words": gap_words,
        # Judged on the newer version's norms, only where both asked the same questions; the
        # page says so (docs/architecture.md#versions).
        "questions_changed": len({c.version for c in shown}) > 1,
    }
    if latest_mine and latest_theirs:
        page["gaps"], page["gap_norms"] = gaps_between(latest_mine, latest_theirs)
        apart = abs(latest_mine.created_at - latest_theirs.created_at)
        page["apart_days"] = round(apart.total_seconds() / 86400)
        page["far_apart"] = apart > DATES_APART
        page["starters"] = _starters(page["gaps"]) if show_starters else []
        page.update(_over_time(mine, theirs))
        page["questions_changed"] = page["questions_changed"] or page.get("versions_differ", False)
    return page


@dataclass(frozen=True)
class StartersShown:
    """The starters one person is offered for one area they see differently."""

    dimension: str
    direction: StarterDirection  # how this person sees the area against their partner
    starters: list[Starter]


def _starters(gaps: Iterable[Gap]) -> list[StartersShown]:
    """For every area you see differently, the starters that fit your side of the gap.

    You - partner below zero: you see it lower, and are invited to say what you need;
    above zero: you see it higher, and are invited to ask and listen. Never the reverse,
    so the one who feels unheard is never told to listen (docs/architecture.md#partner).
    """
    library = current_catalog().strategies
    shown = []
    for gap in gaps:
        direction = gap.direction
        if gap.label != SEE_DIFFERENTLY or direction is None:
            continue
        starters = library.starters(gap.dimension, direction)
        if starters:
            shown.append(StartersShown(gap.dimension, direction, starters))
    return shown


def _over_time(mine: list[SharedCheckup], theirs: list[SharedCheckup]) -> dict[str, Any]:
    """Each dimension's gap for pairs taken within 30 days, at the pair's midpoint."""
    by_id_mine = {c.id: c for c in mine}
    by_id_theirs = {c.id: c for c in theirs}
    pairs = pair_checkups(
        [(c.id, c.created_at) for c in mine], [(c.id, c.created_at) for c in theirs]
    )
    if not pairs:
        return {"pairs": [], "gap_trend": None}
    anchor = current_catalog().latest(SHAREABLE)
    rows: list[dict[str, Any]] = []
    used = {mine_id for mine_id, _, _ in pairs} | {theirs_id for _, theirs_id, _ in pairs}
    for mine_id, theirs_id, midpoint in pairs:
        you, partner = by_id_mine[mine_id], by_id_theirs[theirs_id]
        gaps, _ = gaps_between(you, partner)
        rows.append(
            {
                "midpoint": midpoint,
                "yours": you.created_at,
                "theirs": partner.created_at,
                "gaps": {gap.dimension: gap for gap in gaps},
            }
        )
    midpoints = [row["midpoint"] for row in rows]
    series = []
    for dimension in anchor.dimensions:
        values = [
            row["gaps"][dimension.id].gap if dimension.id in row["gaps"] else None for row in rows
        ]
        times, thinned = thin_series(midpoints, values, MAX_CHART_POINTS)
        series.append((dimension.label, times, thinned))
    return {
        "versions_differ": len({c.version for c in [*mine, *theirs] if c.id in used}) > 1,
        "pairs": rows,
        "pair_dimensions": anchor.dimensions,
        "gap_trend": charts.gap_trend_figure(series),
        "thinned": len(rows) > MAX_CHART_POINTS,
    }
