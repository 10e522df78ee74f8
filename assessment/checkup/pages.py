"""View data of the result page: the suggestions it offers, what was said of each plan, and
the panels other rooms add to it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypedDict

from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from questionnaires.models import Questionnaire, Strategy, StrategyLibrary
from scoring import (
    RELIABLE_DECLINE,
    RELIABLE_IMPROVEMENT,
    WITHIN_NORMAL,
    DimensionChange,
    Focus,
    band,
)

from ..core import Assessment, PlanStatus, current_catalog, format_date, in_sentence
from ..safety import Flag, allowed_while
from .checkins import plan_history, said_helped
from .queries import offered_suggestions

# From this many areas in "room to grow", a result suggests a counsellor (never while the
# person is flagged: couples counselling is not advised while there is fear).
COUNSELLOR_FROM = 3

# What "You tried this before" says of each stored answer, lowercase inside its sentence.
# NOTE: words after "tried:" and "helped:" in "You tried this before: 3 March 2026, tried:
# yes, helped: unsure".
REPORT_WORDS = {
    "yes": _l("yes"),
    "partly": _l("partly"),
    "no": _l("no"),
    # NOTE: after "helped:", the person was not sure whether the plan helped.
    "unsure": _l("unsure"),
}


def _report_words(code: str | None) -> str | None:
    """A stored tried/helped answer in the page's language (None stays None)."""
    if code is None:
        return None
    words = REPORT_WORDS.get(code)
    return code if words is None else str(words)


class PlanReport(TypedDict):
    """One check-in of a plan, as the result page repeats it."""

    tried: str
    helped: str | None
    when: datetime | None


class PlanState(TypedDict):
    """Whether a strategy is being tried now, and every check-in said of it before."""

    trying: bool
    reports: list[PlanReport]


class Reason(TypedDict):
    """An answer that led to a suggestion: the item's wording and the answer's."""

    text: str
    answer: str


class Suggestion(TypedDict):
    """A strategy the result offers, with the answers that led to it."""

    strategy: Strategy
    reasons: list[Reason]


def plan_states(user_id: int) -> dict[str, PlanState]:
    """Strategy id -> whether the person is trying it now, and what they said of it before.

    Only strategies a page may offer are ever looked up here, so a paused plan (unsafe
    while the person is flagged) is never named.
    """
    states: dict[str, PlanState] = {}
    for strategy_id, status, tried, helped, when in plan_history(user_id):
        state = states.setdefault(strategy_id, {"trying": False, "reports": []})
        state["trying"] = state["trying"] or status == PlanStatus.ACTIVE
        if tried is not None:
            state["reports"].append(
                {
                    "tried": _report_words(tried) or tried,
                    "helped": _report_words(helped),
                    "when": when,
                }
            )
    return states


def suggestions_for_page(assessment: Assessment, flag: Flag | None) -> dict[str, list[Suggestion]]:
    """Focus dimension -> the suggestions this result offers, with their wording."""
    catalog = current_catalog()
    definition = catalog.get(assessment.questionnaire_id, assessment.questionnaire_version)
    item_texts = {item.id: item.text for item in definition.items}
    grouped: dict[str, list[Suggestion]] = {}
    for stored, strategy in offered_suggestions(assessment, catalog.strategies, flag):
        reasons: list[Reason] = [
            {
                "text": item_texts.get(trigger["item_id"], trigger["item_id"]),
                "answer": definition.scale.label(trigger["answer"]),
            }
            for trigger in stored.get("triggers", [])
        ]
        grouped.setdefault(stored["dimension"], []).append(
            {"strategy": strategy, "reasons": reasons}
        )
    return grouped


# A panel another room adds to the result page: its view data of one result.
# It is given the person's flag, so no panel suggests anything while they are flagged.
ResultPanel = Callable[[Assessment, Flag | None], Any]
_PANELS = "rekindle.result_panels"


def add_result_panel(app: Flask, name: str, panel: ResultPanel) -> None:
    """Let another room add to the result page without the check-up importing that room.

    ``panel(assessment, flag)`` becomes the result template's ``name`` (partner adds
    ``share``, the share switch). Called by that room's ``init_app``.
    """
    app.extensions.setdefault(_PANELS, {})[name] = panel


def result_panels(assessment: Assessment, flag: Flag | None) -> dict[str, Any]:
    """Every added panel's view data of this result, by the name the template reads."""
    panels: dict[str, ResultPanel] = current_app.extensions.get(_PANELS, {})
    return {name: panel(assessment, flag) for name, panel in panels.items()}


def words_list(words: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c": a list as it is said in the page's language."""
    if len(words) <= 1:
        return "".join(words)
    # NOTE: the end of a list of areas or plans, "romance, money and time together": the
    # items before the last are already joined with ", ".
    return _("%(items)s and %(last)s", items=", ".join(words[:-1]), last=words[-1])


def _change_sentence(
    definition: Questionnaire,
    changes: Sequence[DimensionChange] | None,
    previous_at: datetime | None,
) -> str:
    """What changed reliably since last time, or that this is the first.

    Each outcome is one whole sentence in the catalog, so a translation can order it freely.
    """
    # NOTE: "title" is the questionnaire's name in lowercase: "check-up" or "pulse".
    title = in_sentence(definition.title)
    if changes is None or previous_at is None:
        return _(
            "This is your first %(title)s, so there is nothing to compare with yet.", title=title
        )
    day = format_date(previous_at)
    judged = {RELIABLE_IMPROVEMENT, RELIABLE_DECLINE, WITHIN_NORMAL}
    if not any(change.label for change in changes):
        return _(
            "Since your %(title)s on %(date)s, there were not enough answers to compare any area.",
            title=title,
            date=day,
        )
    if not any(change.label in judged for change in changes):
        return _(
            "Since your %(title)s on %(date)s, the questions changed, so no change is judged"
            " this time.",
            title=title,
            date=day,
        )

    def named(label: str) -> list[str]:
        return [
            in_sentence(definition.dimension(change.dimension).label)
            for change in changes
            if change.label == label
        ]

    better, lower = named(RELIABLE_IMPROVEMENT), named(RELIABLE_DECLINE)
    if better and lower:
        # NOTE: "better" and "lower" are lists of areas, e.g. "romance and money".
        return _(
            "Since your %(title)s on %(date)s, %(better)s showed a reliable improvement and"
            " %(lower)s a reliable decline.",
            title=title,
            date=day,
            better=words_list(better),
            lower=words_list(lower),
        )
    if better:
        return _(
            "Since your %(title)s on %(date)s, %(areas)s showed a reliable improvement.",
            title=title,
            date=day,
            areas=words_list(better),
        )
    if lower:
        return _(
            "Since your %(title)s on %(date)s, %(areas)s showed a reliable decline.",
            title=title,
            date=day,
            areas=words_list(lower),
        )
    if any(change.label and change.label not in judged for change in changes):
        return _(
            "Since your %(title)s on %(date)s, no area changed by more than scores move on"
            " their own; areas whose questions changed are not judged.",
            title=title,
            date=day,
        )
    return _(
        "Since your %(title)s on %(date)s, no area changed by more than scores move on their own.",
        title=title,
        date=day,
    )


def _focus_sentence(definition: Questionnaire, focus: Focus, shows_help: bool) -> str | None:
    """The areas to focus on; while help comes first, only which areas scored lowest."""
    labels = [in_sentence(definition.dimension(d).label) for d in focus.dimensions]
    if not labels:
        return None
    if shows_help:
        return ngettext(
            "Your lowest area this time: %(areas)s.",
            "Your lowest areas this time: %(areas)s.",
            len(labels),
            areas=words_list(labels),
        )
    if focus.keep_strong:
        return _(
            "Every area is a strength; %(area)s, your lowest, is the one to keep an eye on.",
            area=labels[0],
        )
    if len(labels) == 1:
        return _("The area to focus on now is %(area)s.", area=labels[0])
    return _("The areas to focus on now are %(areas)s.", areas=words_list(labels))


def _helped_sentence(
    assessment: Assessment, library: StrategyLibrary, flag: Flag | None, shows_help: bool
) -> str | None:
    """What the person said helped, in the check-ins given with this result.

    While help comes first, only strategies that ask nothing of the partner are named, so a
    paused plan is never shown (docs/architecture.md#safety).
    """
    titles = []
    for strategy_id in dict.fromkeys(said_helped(assessment.id)):
        try:
            strategy = library.by_id(strategy_id)
        except KeyError:
            continue
        if shows_help and not (
            strategy.safe_if_flagged and (flag is None or allowed_while(flag, strategy))
        ):
            continue
        # NOTE: a strategy's title quoted inside a sentence; use your language's quotation marks.
        titles.append(_("“%(title)s”", title=strategy.title))
    if not titles:
        return None
    return ngettext(
        "You said %(titles)s helped.",
        "You said %(titles)s helped.",
        len(titles),
        titles=words_list(titles),
    )


def result_story(
    assessment: Assessment,
    definition: Questionnaire,
    focus: Focus,
    changes: Sequence[DimensionChange] | None,
    previous_at: datetime | None,
    flag: Flag | None,
    shows_help: bool,
) -> list[str]:
    """The result in two or three sentences: what changed reliably, the focus, what helped."""
    sentences = [_change_sentence(definition, changes, previous_at)]
    sentences.append(_focus_sentence(definition, focus, shows_help) or "")
    library = current_catalog().strategies
    sentences.append(_helped_sentence(assessment, library, flag, shows_help) or "")
    return [sentence for sentence in sentences if sentence]


def suggests_counsellor(scores: Mapping[str, float | None], shows_help: bool) -> bool:
    """Three or more areas in "room to grow", and nothing that puts help first."""
    growing = sum(1 for score in scores.values() if band(score) == "growth")
    return not shows_help and growing >= COUNSELLOR_FROM
