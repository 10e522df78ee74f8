"""History's page: trend lines per dimension, first-vs-latest radar and the change tables."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from scoring import history_frame

from ..core import current_catalog, format_score, radar
from ..plans import plans_with_checkins
from ..safety import is_paused, recently_flagged
from ..talk import talks_of
from . import pages
from .queries import assessment_languages, assessment_page, page_number, score_rows

bp = Blueprint("history", __name__)

RADAR_DESCRIPTION = _l(
    "Radar chart comparing your first and latest scores in each area, from 0 to 100. The same"
    " figures are in the table beside it."
)


@bp.get("/history")
@login_required
def history() -> str:
    """Everything the person has answered, over time; an inviting empty state at first."""
    catalog = current_catalog()
    number = page_number(request.args.get("page"))
    listing = assessment_page(current_user.id, number, catalog) if number else None
    if listing is None:
        abort(404)  # not a page number, or past the last page
    if listing.total == 0:
        return render_template(
            "history/history.html", empty=True, checkup=catalog.latest("checkup")
        )
    if listing.number > 1:
        # Older pages list older check-ins; the charts and tables are on the first page.
        return render_template("history/history.html", empty=False, listing=listing, older=True)
    frame = history_frame(score_rows(current_user.id))
    anchor = catalog.latest("checkup")
    languages = assessment_languages(current_user.id)
    sections = pages.change_sections(frame, catalog, languages)
    radar_section = next((s for s in sections if s.count >= 1), None)
    drawing = None
    radar_traces = []
    if radar_section is not None:
        radar_traces = pages.first_and_latest(frame, radar_section.definition)
        drawing = radar.radar_svg(
            radar_section.definition, radar_traces, str(RADAR_DESCRIPTION), format_score
        )
    # Plans paused while the person is flagged are not shown (docs/architecture.md#safety).
    flag = recently_flagged(current_user)
    plan_rows = [
        row
        for row in plans_with_checkins(current_user.id)
        if not is_paused(row.plan, flag, catalog.strategies)
    ]
    markers = pages.plan_markers(frame, catalog, plan_rows)
    # Talks are not shown while the person is flagged (docs/architecture.md#talk).
    talks = talks_of(current_user.id) if flag is None else []
    talked, talk_norms = pages.talk_rows(frame, catalog, talks, languages)
    tried = sorted(
        [*pages.tried_rows(frame, catalog, plan_rows, languages), *talked],
        key=lambda row: row.chosen,
        reverse=True,
    )
    tried_norms = pages.distinct_notes(
        [*pages.tried_norms(frame, catalog, plan_rows, languages), *talk_norms]
    )
    return render_template(
        "history/history.html",
        empty=False,
        older=False,
        listing=listing,
        panels=pages.trend_panels(
            frame, catalog, anchor, markers, pages.talk_markers(frame, talks)
        ),
        tried=tried,
        tried_norms=tried_norms,
        talk_offer=flag is None,
        sections=sections,
        radar=drawing,
        radar_traces=radar_traces,
        radar_definition=radar_section.definition if radar_section else None,
        assessment_count=listing.total,
    )
