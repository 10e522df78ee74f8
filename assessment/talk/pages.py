"""View data of a talk: the areas to start from and to choose, the prompts, the strategies
to choose between, and the sentence shown whole.

Every figure here comes from the two check-ups the couple chose to share
(docs/architecture.md#talk).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from questionnaires.models import Questionnaire, Strategy, TalkPrompts
from scoring import SEE_DIFFERENTLY, band, focus_areas, unhelpful_strategies

from ..core import Assessment, Talk, current_catalog, in_sentence
from ..partner import SharedCheckup, gap_words, gaps_between
from ..plans import plans_with_checkins

# What step 3 says of an area, beside its name.
FOR_BOTH = _l("room to grow for both of you")
FOR_ONE = _l("room to grow for one of you")
# Only full check-ups are shared, so a talk's areas are named as the newest one names them.
MEASURED_ON = "checkup"

STEP_TITLES = {
    1: _l("Before you start"),
    2: _l("Start with what works"),
    3: _l("Choose one area"),
    4: _l("Take turns"),
    5: _l("One small thing to try"),
    # NOTE: The last step of a talk: closing it (thanking each other), not "near".
    6: _l("Close"),
}


@dataclass(frozen=True)
class Area:
    """One area a talk may be about, and why it is offered."""

    id: str
    label: str
    reasons: tuple[str, ...]


def _definition(mine: SharedCheckup, theirs: SharedCheckup) -> Questionnaire:
    _, norms = gaps_between(mine, theirs)
    return norms.definition


def shared_strengths(mine: SharedCheckup, theirs: SharedCheckup) -> list[Area]:
    """The areas both of you see as a strength (step 2)."""
    definition = _definition(mine, theirs)
    return [
        Area(d.id, d.label, ())
        for d in definition.dimensions
        if band(mine.scores.get(d.id)) == "strength" and band(theirs.scores.get(d.id)) == "strength"
    ]


def strengths_phrase(areas: list[Area]) -> Markup:
    """Step 2's shared strengths as one list, joined as the reader's language joins a list
    (never glued with English "and"); each name stays marked for its area."""
    names = [
        Markup('<strong data-strength="{}">{}</strong>').format(area.id, in_sentence(area.label))
        for area in areas
    ]
    # The names are escaped above; the pattern around them is the locale's (CLDR) own words.
    return Markup(format_list(names, locale=get_locale() or "en"))


def areas_to_choose(mine: SharedCheckup, theirs: SharedCheckup) -> list[Area]:
    """Step 3: every area that is room to grow for either of you, or that you see
    differently (the partner page's rule); all six when none is."""
    gaps, norms = gaps_between(mine, theirs)
    definition = norms.definition
    differently = {gap.dimension for gap in gaps if gap.label == SEE_DIFFERENTLY}
    offered = []
    for dimension in definition.dimensions:
        growing = [
            band(scores.get(dimension.id)) == "growth" for scores in (mine.scores, theirs.scores)
        ]
        reasons: list[str] = []
        if all(growing):
            reasons.append(str(FOR_BOTH))
        elif any(growing):
            reasons.append(str(FOR_ONE))
        if dimension.id in differently:
            reasons.append(gap_words(SEE_DIFFERENTLY))
        if reasons:
            offered.append(Area(dimension.id, dimension.label, tuple(reasons)))
    if offered:
        return offered
    return [Area(d.id, d.label, ()) for d in definition.dimensions]


def area_label(dimension_id: str | None) -> str:
    """The area's name as the newest check-up says it."""
    if dimension_id is None:
        return ""
    try:
        return current_catalog().latest(MEASURED_ON).dimension(dimension_id).label
    except KeyError:
        return dimension_id


def latest_focus(latest: Assessment | None) -> str | None:
    """The first focus area of the person's newest result: where preparing starts."""
    if latest is None:
        return None
    try:
        definition = current_catalog().get(latest.questionnaire_id, latest.questionnaire_version)
    except KeyError:
        return None
    focus = focus_areas(definition, latest.score_map())
    return focus.dimensions[0] if focus.dimensions else None


def prompts_for(dimension_id: str) -> TalkPrompts:
    """Step 4's prompts for the area, from ``strategies.yaml`` ``talk:``."""
    return current_catalog().strategies.talk[dimension_id]  # type: ignore[index]


def strategies_to_choose(dimension_id: str, user_id: int) -> list[Strategy]:
    """Step 5: the area's strategies, less those the person at the screen said did not help.

    Only that person's own check-ins are read; the partner's stay private.
    """
    reports = [
        (row.plan.strategy_id, checkin.tried, checkin.helped)
        for row in plans_with_checkins(user_id)
        for checkin in row.checkins
    ]
    unhelpful = unhelpful_strategies(reports)
    return [
        strategy
        for strategy in current_catalog().strategies.strategies
        if strategy.dimension == dimension_id and strategy.id not in unhelpful
    ]


def strategy_title(strategy_id: str | None) -> str:
    """A strategy's title, or words for one no longer offered."""
    if strategy_id is None:
        return ""
    try:
        return current_catalog().strategies.by_id(strategy_id).title
    except KeyError:
        return _("A strategy no longer offered")


def talked_at(talk: Talk) -> datetime:
    """When a talk happened: when the other accepted (when it was asked, if never)."""
    return talk.joined_at or talk.created_at


def sentence(when: str, feel: str, like: str) -> str:
    """The three parts as one sentence, shown whole and never kept."""
    # NOTE: One sentence made of the three parts a person typed, in the order of the form.
    return _(
        "When %(when)s, I feel %(feel)s, and I'd like %(like)s.",
        when=_clause(when),
        feel=_clause(feel),
        like=_clause(like),
    )


def _clause(part: str) -> str:
    """A part as typed, without the words the sentence already says or a closing stop."""
    text = " ".join(part.split()).rstrip(".!,;")
    for lead in ("when ", "i feel ", "i'd like ", "i would like "):
        if text.lower().startswith(lead):
            text = text[len(lead) :]
    return text
