"""Known answers for the scoring engine, each worked out by hand in its comment."""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from questionnaires.models import Dimension, Item, Norms, Questionnaire
from scoring import (
    RELIABLE_DECLINE,
    RELIABLE_IMPROVEMENT,
    WITHIN_NORMAL,
    Focus,
    Trigger,
    band,
    change_label,
    changes_since,
    compare_scores,
    dimension_score,
    dimension_scores,
    focus_areas,
    history_frame,
    keyed_value,
    order_candidates,
    overall_score,
    reliable_change_index,
    required_answers,
    s_diff,
    score_assessment,
    select_strategies,
    standard_error,
    thin_series,
)
from tests.unit.scoring_fixtures import (
    GOLDEN,
    NORMS,
    SCALE,
    golden_answers,
    scores_frame,
    talk_history,
    tiny_library,
    tiny_questionnaire,
)

TINY = tiny_questionnaire()
CHECKUP_NORMS = Norms(sd=18.0, reliability=0.85)
PULSE_NORMS = Norms(sd=22.0, reliability=0.65)


def test_reverse_items_are_mirrored() -> None:
    """On 1-5 a reverse item keys 1<->5, 2<->4, 3 stays; missing stays missing."""
    reverse = TINY.item("t2")
    assert [keyed_value(reverse, SCALE, x) for x in (1, 2, 3, 4, 5)] == [5, 4, 3, 2, 1]
    assert keyed_value(TINY.item("t1"), SCALE, 2) == 2
    assert keyed_value(reverse, SCALE, None) is None


def test_dimension_score_known_answer() -> None:
    """t1=4, t2=2 (reverse -> 4), t3=5: keyed 4,4,5; mean 4.333; 100 * 3.333 / 4 = 83.3."""
    assert dimension_score(TINY, "communication", {"t1": 4, "t2": 2, "t3": 5}) == 83.3


def test_dimension_score_ties_round_to_even() -> None:
    """Keyed 3,3,3,4: mean 3.25; 100 * 2.25 / 4 = 56.25 exactly, which rounds to 56.2."""
    four = Questionnaire(
        id="four",
        version=1,
        title="Four",
        scale=SCALE,
        dimensions=[Dimension(id="romance", label="Romance", norms=NORMS)],
        items=[Item(id=f"r{n}", dimension="romance", text="x", reverse=False) for n in range(1, 5)],
    )
    assert dimension_score(four, "romance", {"r1": 3, "r2": 3, "r3": 3, "r4": 4}) == 56.2


def test_two_thirds_rule() -> None:
    """A dimension is scored from 2 of 3, 4 of 5 or 6, and 1 of 1 answers; fewer is None."""
    assert [required_answers(n) for n in (1, 3, 5, 6)] == [1, 2, 4, 4]
    # t1=4, t3=4 answered, t2 missing: keyed 4,4 -> 75.0
    assert dimension_score(TINY, "communication", {"t1": 4, "t2": None, "t3": 4}) == 75.0
    assert dimension_score(TINY, "communication", {"t1": 4}) is None
    assert dimension_score(TINY, "intimacy", {"x1": None}) is None


def test_golden_file_scores() -> None:
    """Four assessments of the tiny questionnaire score as tests/data/scoring says."""
    rows = []
    for assessment, given in golden_answers("golden_answers.csv").items():
        for dimension, score in dimension_scores(TINY, given).items():
            rows.append((assessment, dimension, score))
    assert_frame_equal(scores_frame(rows), pd.read_csv(GOLDEN / "golden_scores.csv"))


def test_overall_only_when_every_dimension_is_scored() -> None:
    """(83.3 + 41.7 + 50.0) / 3 = 58.33 -> 58.3; one missing dimension -> no overall."""
    assert overall_score({"a": 83.3, "b": 41.7, "c": 50.0}) == 58.3
    assert overall_score({"a": 83.3, "b": None, "c": 50.0}) is None
    assert overall_score({}) is None


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100.0, "strength"),
        (75.0, "strength"),
        (74.9, "steady"),
        (50.0, "steady"),
        (49.9, "growth"),
        (0.0, "growth"),
        (None, None),
    ],
)
def test_band_edges(score, expected) -> None:
    """Strength from 75, steady from 50, room to grow below; no band without a score."""
    assert band(score) == expected


def test_focus_is_the_two_lowest_that_are_not_strengths() -> None:
    """Care 41.7 then talk 60.0; touch 90.0 is a strength and never a focus."""
    focus = focus_areas(TINY, {"communication": 60.0, "emotional_needs": 41.7, "intimacy": 90.0})
    assert focus == Focus(("emotional_needs", "communication"), False, ())


def test_focus_ties_follow_definition_order() -> None:
    """Equal scores: the dimension defined first comes first."""
    focus = focus_areas(TINY, {"communication": 40.0, "emotional_needs": 40.0, "intimacy": 40.0})
    assert focus.dimensions == ("communication", "emotional_needs")


def test_all_strengths_keep_the_lowest_strong() -> None:
    """Every scored dimension a strength: the lowest (care, 80.0) to keep strong."""
    focus = focus_areas(TINY, {"communication": 90.0, "emotional_needs": 80.0, "intimacy": None})
    assert focus == Focus(("emotional_needs",), True, ("intimacy",))


def test_unscored_dimension_is_neither_focus_nor_strength() -> None:
    """A dimension without a score needs more answers and is never a focus."""
    focus = focus_areas(TINY, {"communication": None, "emotional_needs": 30.0, "intimacy": None})
    assert focus == Focus(("emotional_needs",), False, ("communication", "intimacy"))


LOW_TALK = {"t1": 4, "t2": 5, "t3": 1}  # keyed 4, 1, 1: t2 and t3 trigger


def test_triggered_strategies_come_first_with_their_answers() -> None:
    """talk_a (t3 keyed 1) and talk_c (t2=5 reverse -> 1) first, then talk_b; at most 3."""
    chosen = select_strategies(
        tiny_library(), TINY, LOW_TALK, Focus(("communication",), False, ()), flagged=False
    )
    assert [s.strategy_id for s in chosen] == ["talk_a", "talk_c", "talk_b"]
    assert chosen[0].triggers == (Trigger("t3", 1, 1),)
    assert chosen[1].triggers == (Trigger("t2", 5, 1),)
    assert chosen[2].triggers == ()


def test_flagged_result_gets_only_safe_strategies() -> None:
    """After a "yes" on the safety screen only safe_if_flagged strategies are chosen."""
    chosen = select_strategies(
        tiny_library(), TINY, LOW_TALK, Focus(("communication",), False, ()), flagged=True
    )
    assert [s.strategy_id for s in chosen] == ["talk_b", "talk_d"]


def test_unhelpful_strategies_go_after_the_rest_of_their_dimension() -> None:
    """talk_a was reported as not helping: talk_c, talk_b, talk_d come before it."""
    library = tiny_library()
    candidates = [s for s in library.strategies if s.dimension == "communication"]
    triggered = {"talk_a": (Trigger("t3", 1, 1),), "talk_c": (Trigger("t2", 5, 1),)}
    ordered = order_candidates(candidates, triggered, frozenset({"talk_a"}))
    assert [s.id for s in ordered] == ["talk_c", "talk_b", "talk_d", "talk_a"]
    chosen = select_strategies(
        library,
        TINY,
        LOW_TALK,
        Focus(("communication",), False, ()),
        flagged=False,
        unhelpful=frozenset({"talk_a"}),
    )
    assert [s.strategy_id for s in chosen] == ["talk_c", "talk_b", "talk_d"]


def test_score_assessment_puts_it_together() -> None:
    """Scores, bands, overall, focus, suggestions and the flag from one call."""
    answers = {"t1": 4, "t2": 5, "t3": 1, "c1": 3, "c2": 4, "c3": 5, "x1": 5}
    scored = score_assessment(TINY, tiny_library(), answers, {"safe_afraid": "no"})
    # talk: keyed 4,1,1 -> 100*3/12 = 25.0; care: keyed 3,4,1 -> 100*5/12 = 41.7; touch 100.0
    assert scored.scores == {"communication": 25.0, "emotional_needs": 41.7, "intimacy": 100.0}
    assert scored.bands == {
        "communication": "growth",
        "emotional_needs": "growth",
        "intimacy": "strength",
    }
    assert scored.overall == 55.6  # (25 + 41.7 + 100) / 3 = 55.57
    assert scored.focus.dimensions == ("communication", "emotional_needs")
    assert scored.flagged is False
    assert score_assessment(TINY, tiny_library(), answers, {"safe_afraid": "yes"}).flagged


def test_reliable_change_index_known_answers() -> None:
    """sd 18, reliability .85: SEM 6.971, S_diff 9.859; 20 points is RCI 2.03."""
    assert standard_error(CHECKUP_NORMS) == pytest.approx(6.9714, abs=1e-4)
    assert s_diff(CHECKUP_NORMS) == pytest.approx(9.8590, abs=1e-4)
    assert reliable_change_index(20, CHECKUP_NORMS) == pytest.approx(2.0286, abs=1e-4)
    assert change_label(reliable_change_index(20, CHECKUP_NORMS)) == RELIABLE_IMPROVEMENT
    assert change_label(reliable_change_index(19, CHECKUP_NORMS)) == WITHIN_NORMAL
    assert change_label(reliable_change_index(-20, CHECKUP_NORMS)) == RELIABLE_DECLINE
    assert change_label(1.96) == RELIABLE_IMPROVEMENT
    assert change_label(-1.96) == RELIABLE_DECLINE


def test_pulse_needs_two_answer_steps_to_be_reliable() -> None:
    """sd 22, reliability .65: S_diff 18.41; one step (25) RCI 1.36, two steps (50) 2.72."""
    assert s_diff(PULSE_NORMS) == pytest.approx(18.4066, abs=1e-4)
    assert change_label(reliable_change_index(25, PULSE_NORMS)) == WITHIN_NORMAL
    assert change_label(reliable_change_index(50, PULSE_NORMS)) == RELIABLE_IMPROVEMENT


def test_compare_scores_rounds_delta_and_skips_missing() -> None:
    """60.1 - 40.0 = 20.1 (RCI 2.04, improvement); a side without a score gives no label."""
    changes = compare_scores(
        TINY,
        {"communication": 40.0, "emotional_needs": 50.0, "intimacy": None},
        {"communication": 60.1, "emotional_needs": 45.0, "intimacy": 70.0},
    )
    talk, care, touch = changes
    assert (talk.delta, talk.label) == (20.1, RELIABLE_IMPROVEMENT)
    assert (care.delta, care.label) == (-5.0, WITHIN_NORMAL)
    assert (touch.delta, touch.rci, touch.label) == (None, None, None)


def test_changes_since_previous_and_first() -> None:
    """Three tiny assessments (plus one of another questionnaire, ignored)."""
    points = [
        (1, "tiny", datetime(2026, 1, 1), 20.0),
        (2, "other", datetime(2026, 2, 1), 99.0),
        (3, "tiny", datetime(2026, 3, 1), 30.0),
        (4, "tiny", datetime(2026, 5, 1), 45.0),
    ]
    frame = talk_history(points, emotional_needs=50.0, intimacy=None)
    changes = changes_since(frame, TINY)
    previous = {c.dimension: c for c in changes["previous"]}
    first = {c.dimension: c for c in changes["first"]}
    assert (previous["communication"].delta, previous["communication"].label) == (
        15.0,
        WITHIN_NORMAL,
    )
    assert (first["communication"].delta, first["communication"].label) == (
        25.0,
        RELIABLE_IMPROVEMENT,
    )
    assert first["intimacy"].label is None
    assert changes_since(talk_history(points[:1], emotional_needs=50.0, intimacy=None), TINY) == {}


def test_history_frame_is_typed_and_sorted_even_when_empty() -> None:
    """An empty history is a frame with the right columns, not an error."""
    empty = history_frame([])
    assert list(empty.columns) == [
        "assessment_id",
        "questionnaire_id",
        "version",
        "created_at",
        "dimension",
        "score",
    ]
    assert empty.empty


def test_thin_series_averages_buckets() -> None:
    """10 points into 5 buckets of 2: means 0.5, 2.5, ...; each at its bucket's last time."""
    times, values = thin_series(list(range(10)), [float(v) for v in range(10)], max_points=5)
    assert times == [1, 3, 5, 7, 9]
    assert values == [0.5, 2.5, 4.5, 6.5, 8.5]
    assert thin_series([1, 2], [None, 3.0], max_points=5) == ([1, 2], [None, 3.0])
    assert math.isclose(thin_series([1, 2, 3], [None, None, 3.0], 1)[1][0], 3.0)


def test_a_missing_score_in_a_frame_reads_as_none() -> None:
    """Does pandas' NaN come back as "not enough answers" (None), and a score as a float?"""
    import numpy as np

    from scoring import score_or_none

    assert score_or_none(float("nan")) is None
    assert score_or_none(np.float64("nan")) is None
    assert score_or_none(None) is None
    assert score_or_none(np.float64(56.2)) == 56.2
    assert type(score_or_none(np.float64(56.2))) is float


def test_a_pulse_is_compared_with_the_pulse_before_not_the_checkup_between() -> None:
    """Does changes_since skip a check-up taken between two pulses (their norms differ)?"""
    from questionnaires.loader import load_catalog
    from scoring import changes_since, history_frame

    pulse = load_catalog().latest("pulse")
    day = datetime(2026, 3, 1)
    rows = []
    for assessment_id, (questionnaire, score) in enumerate(
        [("pulse", 50.0), ("checkup", 100.0), ("pulse", 50.0)], start=1
    ):
        for dimension in pulse.dimensions:
            moment = day.replace(day=assessment_id)
            rows.append((assessment_id, questionnaire, 1, moment, dimension.id, score))
    changes = changes_since(history_frame(rows), pulse)
    assert [change.delta for change in changes["previous"]] == [0.0] * len(pulse.dimensions)
    assert [change.delta for change in changes["first"]] == [0.0] * len(pulse.dimensions)
