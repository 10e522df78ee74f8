"""Choosing what to try: strategies for the focus areas, tied to the answers behind them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from questionnaires.models import Questionnaire, Strategy, StrategyLibrary

from .dimensions import Focus
from .keying import keyed_value

# A trigger item answered at or below this keyed value (disagree or lower on 1-5) suggests it.
TRIGGER_AT_MOST = 2
PER_DIMENSION = 3


@dataclass(frozen=True)
class Trigger:
    """One answer that caused a suggestion: the item, what was answered, how it counted."""

    item_id: str
    answer: int
    keyed: int


@dataclass(frozen=True)
class Suggestion:
    """A strategy offered for a focus dimension; no triggers means offered for the area."""

    strategy_id: str
    dimension: str
    triggers: tuple[Trigger, ...]


def triggers_for(
    strategy: Strategy, questionnaire: Questionnaire, answers: Mapping[str, int | None]
) -> tuple[Trigger, ...]:
    """The strategy's trigger items this person answered low, in questionnaire order."""
    wanted = set(strategy.triggers)
    found = []
    for item in questionnaire.items:
        if item.id not in wanted:
            continue
        answer = answers.get(item.id)
        keyed = keyed_value(item, questionnaire.scale, answer)
        if answer is not None and keyed is not None and keyed <= TRIGGER_AT_MOST:
            found.append(Trigger(item.id, answer, keyed))
    return tuple(found)


def order_candidates(
    candidates: Sequence[Strategy],
    triggered: Mapping[str, tuple[Trigger, ...]],
    unhelpful: frozenset[str],
) -> list[Strategy]:
    """Item-triggered first; any the person said did not help go after the rest.

    Within each group the order of ``strategies.yaml`` holds.
    """
    position = {strategy.id: index for index, strategy in enumerate(candidates)}
    return sorted(
        candidates,
        key=lambda s: (s.id in unhelpful, not triggered.get(s.id), position[s.id]),
    )


def reports_hurt(questionnaire: Questionnaire, answers: Mapping[str, int | None]) -> bool:
    """Whether any ``hurt`` item (the partner's disrespect or unkindness) was answered low."""
    for item in questionnaire.items:
        if item.hurt:
            keyed = keyed_value(item, questionnaire.scale, answers.get(item.id))
            if keyed is not None and keyed <= TRIGGER_AT_MOST:
                return True
    return False


def select_strategies(
    library: StrategyLibrary,
    questionnaire: Questionnaire,
    answers: Mapping[str, int | None],
    focus: Focus,
    *,
    flagged: bool,
    unhelpful: frozenset[str] = frozenset(),
    per_dimension: int = PER_DIMENSION,
    without: frozenset[str] = frozenset(),
) -> tuple[Suggestion, ...]:
    """Up to ``per_dimension`` strategies per focus dimension, safe ones only when flagged.

    No strategy at all for a dimension in ``without`` (intimacy, after sexual violence).
    When a ``hurt`` item was answered low, no strategy that asks the person to give the
    partner more is offered anywhere in the result, triggered or not: a hurt is never
    answered with appeasement (docs/architecture.md#questionnaires).
    """
    hurt = reports_hurt(questionnaire, answers)
    chosen: list[Suggestion] = []
    for dimension_id in focus.dimensions:
        if dimension_id in without:
            continue
        candidates = [
            s
            for s in library.strategies
            if s.dimension == dimension_id
            and (s.safe_if_flagged or not flagged)
            and not (hurt and s.gives_partner_more)
        ]
        triggered = {s.id: triggers_for(s, questionnaire, answers) for s in candidates}
        for strategy in order_candidates(candidates, triggered, unhelpful)[:per_dimension]:
            chosen.append(Suggestion(strategy.id, dimension_id, triggered[strategy.id]))
    return tuple(chosen)
