"""View data of the result page: the suggestions it offers and what was said of each plan."""

from __future__ import annotations

from typing import Any

from ..definitions import current_catalog
from ..models import Assessment, PlanStatus
from ..plans.queries import plan_history
from ..safety_flag import Flag
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
