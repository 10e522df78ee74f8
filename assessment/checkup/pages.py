"""View data of the result page: the suggestions it offers, what was said of each plan, and
the panels other rooms add to it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypedDict

from flask import Flask, current_app

from questionnaires.models import Questionnaire, Strategy, StrategyLibrary
from scoring import (
    RELIABLE_DECLINE,
    RELIABLE_IMPROVEMENT,
    WITHIN_NORMAL,
    DimensionChange,
    Focus,
    band,
)

from ..core import Assessment, PlanStatus, current_catalog, format_date
from ..safety import Flag, allowed_while
from .checkins import plan_history, said_helped
from .queries import offered_suggestions

# From this many areas in "room to grow", a result suggests a counsellor (never while the
# person is flagged: couples counselling is not advised while there is fear).
COUNSELLOR_FROM = 3


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
            state["reports"].append({"tried": tried, "helped": helped, "when": when})
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
    """ "a", "a and b", "a, b and c": a list as it is said."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _change_sentence(
    definition: Questionnaire,
    changes: Sequence[DimensionChange] | None,
    previous_at: datetime | None,
) -> str:
    """What changed reliably since last time, or that this is the first."""
    title = definition.title.lower()
    if changes is None or previous_at is None:
        return f"This is your first {title}, so there is nothing to compare with yet."
    since = f"Since your {title} on {format_date(previous_at)}"
    judged = {RELIABLE_IMPROVEMENT, RELIABLE_DECLINE, WITHIN_NORMAL}
    if not any(change.label for change in changes):
        return f"{since}, there were not enough answers to compare any area."
    if not any(change.label in judged for change in changes):
        return f"{since}, the questions changed, so no change is judged this time."

    def named(label: str) -> list[str]:
        return [
            definition.dimension(change.dimension).label.lower()
            for change in changes
            if change.label == label
        ]

    better, lower = named(RELIABLE_IMPROVEMENT), named(RELIABLE_DECLINE)
    if better and lower:
        return (
            f"{since}, {words_list(better)} showed a reliable improvement and"
            f" {words_list(lower)} a reliable decline."
        )
    if better:
        return f"{since}, {words_list(better)} showed a reliable improvement."
    if lower:
        return f"{since}, {words_list(lower)} showed a reliable decline."
    unjudged = any(change.label and change.label not in judged for change in changes)
    also = "; areas whose questions changed are not judged" if unjudged else ""
    return f"{since}, no area changed by more than scores move on their own{also}."


def _focus_sentence(definition: Questionnaire, focus: Focus, shows_help: bool) -> str | None:
    """The areas to focus on; while help comes first, only which areas scored lowest."""
    labels = [definition.dimension(d).label.lower() for d in focus.dimensions]
    if not labels:
        return None
    if shows_help:
        noun = "area" if len(labels) == 1 else "areas"
        return f"Your lowest {noun} this time: {words_list(labels)}."
    if focus.keep_strong:
        return f"Every area is a strength; {labels[0]}, your lowest, is the one to keep an eye on."
    if len(labels) == 1:
        return f"The area to focus on now is {labels[0]}."
    return f"The areas to focus on now are {words_list(labels)}."


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
        titles.append(f"“{strategy.title}”")
    if not titles:
        return None
    return f"You said {words_list(titles)} helped."


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
