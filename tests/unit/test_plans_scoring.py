"""Follow-through rules as pure functions, with known answers."""

from __future__ import annotations

from datetime import datetime

from scoring import (
    RELIABLE_IMPROVEMENT,
    WITHIN_NORMAL,
    change_while_trying,
    closes_plan,
    counted_helped,
    select_strategies,
    unhelpful_strategies,
)
from scoring.dimensions import Focus
from tests.unit.scoring_fixtures import talk_history, tiny_library, tiny_questionnaire

TINY = tiny_questionnaire()


def test_tried_closes_a_plan_and_not_yet_keeps_it() -> None:
    """yes and partly close the plan; no ("not yet, keep it") keeps it active."""
    assert closes_plan("yes") and closes_plan("partly")
    assert not closes_plan("no")


def test_helped_counts_only_when_tried() -> None:
    """ "Did it help?" is ignored for a plan not tried yet."""
    assert counted_helped("partly", "no") == "no"
    assert counted_helped("no", "no") is None


def test_unhelpful_strategies_from_reports() -> None:
    """Only a tried plan reported as not helping makes its strategy unhelpful."""
    reports = [("talk_a", "yes", "no"), ("talk_b", "no", "no"), ("care_a", "partly", "unsure")]
    assert unhelpful_strategies(reports) == frozenset({"talk_a"})


def test_unhelpful_strategy_is_ranked_after_the_rest() -> None:
    """After "talk_a did not help", the next result offers it last of its dimension."""
    answers = {"t1": 4, "t2": 5, "t3": 1}  # t3 triggers talk_a, t2 triggers talk_c
    focus = Focus(("communication",), False, ())
    before = select_strategies(tiny_library(), TINY, answers, focus, flagged=False)
    after = select_strategies(
        tiny_library(),
        TINY,
        answers,
        focus,
        flagged=False,
        unhelpful=unhelpful_strategies([("talk_a", "yes", "no")]),
        per_dimension=4,
    )
    assert before[0].strategy_id == "talk_a"
    assert [s.strategy_id for s in after][-1] == "talk_a"


def _frame():  # type: ignore[no-untyped-def]
    return talk_history(
        [
            (1, "tiny", datetime(2026, 3, 1), 30.0),
            (2, "tiny", datetime(2026, 3, 10), 35.0),
            (3, "other", datetime(2026, 3, 15), 90.0),
            (4, "tiny", datetime(2026, 3, 20), 60.0),
            (5, "tiny", datetime(2026, 3, 28), 70.0),
        ]
    )


def test_change_while_trying_uses_the_last_before_and_first_after() -> None:
    """Chosen on 12 March: 35.0 (10 March) to 60.0 (20 March), +25.0, RCI 2.54."""
    change = change_while_trying(_frame(), TINY, "communication", datetime(2026, 3, 12))
    assert (change.before, change.after, change.delta) == (35.0, 60.0, 25.0)
    assert change.label == RELIABLE_IMPROVEMENT


def test_change_while_trying_is_none_until_there_is_an_after() -> None:
    """No assessment of the plan's questionnaire after it was chosen: nothing to say yet."""
    assert change_while_trying(_frame(), TINY, "communication", datetime(2026, 3, 29)) is None
    small = change_while_trying(_frame(), TINY, "communication", datetime(2026, 3, 21))
    assert small.delta == 10.0 and small.label == WITHIN_NORMAL
