"""View data of the result page: the suggestions it offers, what was said of each plan, and
the panels other rooms add to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from ..core import Assessment, PlanStatus, current_catalog
from ..safety import Flag
from .checkins import plan_history
from .queries import offered_suggestions


def plan_states(user_id: int) -> dict[str, dict]:
    """Strategy id -> whether the person is trying it now, and what they said of it before.

    Only strategies a page may offer are ever looked up here, so a paused plan (unsafe
    while the person is flagged) is never named.
    """
    states: dict[str, dict] = {}
    for strategy_id, status, tried, helped, when in plan_history(user_id):
        state = states.setdefault(strategy_id, {"trying": False, "reports": []})
        state["trying"] = state["trying"] or status == PlanStatus.ACTIVE
        if tried is not None:
            state["reports"].append({"tried": tried, "helped": helped, "when": when})
    return states


def suggestions_for_page(assessment: Assessment, flag: Flag | None) -> dict[str, list[dict]]:
    """Focus dimension -> the suggestions this result offers, with their wording."""
    catalog = current_catalog()
    definition = catalog.get(assessment.questionnaire_id, assessment.questionnaire_version)
    item_texts = {item.id: item.text for item in definition.items}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for stored, strategy in offered_suggestions(assessment, catalog.strategies, flag):
        reasons = [
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
