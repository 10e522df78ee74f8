"""The shipped check-up and pulse, v1 to v3, through the pure engine.

See docs/architecture.md#scoring and docs/architecture.md#versions.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from questionnaires.loader import load_catalog
from scoring import (
    QUESTIONS_CHANGED,
    RELIABLE_IMPROVEMENT,
    WITHIN_NORMAL,
    compare_scores,
    dimension_scores,
    overall_of,
    required_answers,
    same_questions,
)
from tests.unit.scoring_fixtures import GOLDEN, golden_answers, scores_frame

CATALOG = load_catalog()
VERSIONS = [CATALOG.get(qid, v) for qid in ("checkup", "pulse") for v in (1, 2, 3)]
CHECKUP_V3 = CATALOG.get("checkup", 3)
SETTINGS = settings(max_examples=60, deadline=None)


def test_checkup_v2_golden_file() -> None:
    """Three v2 check-ups score as tests/data/scoring/checkup_v2_scores.csv says (by hand)."""
    v2 = CATALOG.get("checkup", 2)
    rows = []
    for assessment, given_answers in golden_answers("checkup_v2_answers.csv").items():
        assert set(given_answers) == {i.id for i in v2.items}, assessment
        for dimension, score in dimension_scores(v2, given_answers).items():
            rows.append((assessment, dimension, score))
    assert_frame_equal(scores_frame(rows), pd.read_csv(GOLDEN / "checkup_v2_scores.csv"))


def test_checkup_v3_golden_file() -> None:
    """Four v3 check-ups score as tests/data/scoring/checkup_v3_scores.csv says (by hand).

    C1 agrees with everything: every area 58.3 (two problems per area count low). C2 leaves
    intimacy blank and two events "don't apply": overall of 5 areas, 58.8. C3 answers two
    intimacy questions: intimacy unscored, overall of 5 areas. C4 has two areas unscored:
    no overall. The "overall" rows are the overall score by v3's own rule.
    """
    rows = []
    for assessment, given_answers in golden_answers("checkup_v3_answers.csv").items():
        assert set(given_answers) == {i.id for i in CHECKUP_V3.items}, assessment
        scores = dimension_scores(CHECKUP_V3, given_answers)
        for dimension, score in scores.items():
            rows.append((assessment, dimension, score))
        rows.append((assessment, "overall", overall_of(CHECKUP_V3, scores)))
    assert_frame_equal(scores_frame(rows), pd.read_csv(GOLDEN / "checkup_v3_scores.csv"))


def _answers(definition):  # type: ignore[no-untyped-def]
    answer = st.one_of(st.none(), st.integers(definition.scale.min, definition.scale.max))
    return st.fixed_dictionaries({item.id: answer for item in definition.items})


@pytest.mark.parametrize("definition", VERSIONS, ids=lambda q: f"{q.id}.v{q.version}")
def test_shipped_versions_keep_the_engine_properties(definition) -> None:
    """For every shipped version: 0..100, keyed monotonic, reverse keying symmetric."""
    low, high = definition.scale.min, definition.scale.max

    @SETTINGS
    @given(_answers(definition), st.sampled_from([i.id for i in definition.items]))
    def check(answers, item_id) -> None:  # type: ignore[no-untyped-def]
        scores = dimension_scores(definition, answers)
        assert all(s is None or 0.0 <= s <= 100.0 for s in scores.values())
        item = definition.item(item_id)
        current = answers[item_id] if answers[item_id] is not None else low
        if current < high:
            raised = dict(answers, **{item_id: current + 1})
            before = dimension_scores(definition, dict(answers, **{item_id: current}))
            after = dimension_scores(definition, raised)
            old, new = before[item.dimension], after[item.dimension]
            if old is not None and new is not None:
                assert (new >= old) if not item.reverse else (new <= old)
        mirrored = {k: (None if v is None else low + high - v) for k, v in answers.items()}
        flipped = dimension_scores(definition, mirrored)
        for dimension, score in scores.items():
            other = flipped[dimension]
            assert (score is None) == (other is None)
            if score is not None:
                assert abs((100.0 - score) - other) <= 0.11

    check()


def test_a_v1_checkup_compares_with_a_v2_one_only_where_the_questions_are_the_same() -> None:
    """v1 -> v2: stress asked the same five items (judged on v2's norms); communication gained
    one, so its delta is shown as "the questions changed: not judged", never reliable."""
    v1, v2 = CATALOG.get("checkup", 1), CATALOG.get("checkup", 2)
    before = dict.fromkeys((d.id for d in v1.dimensions), 40.0)
    after = dict(before, communication=75.0, stress=75.0, romance=50.0)
    changes = {c.dimension: c for c in compare_scores(v2, before, after, answered_on=(v1, v2))}
    assert set(changes) == {d.id for d in v2.dimensions}
    # v2 norms: sd 18, reliability .85 -> S_diff = sqrt(2) * 18 * sqrt(.15) = 9.859
    assert changes["stress"].delta == 35.0
    assert changes["stress"].rci == pytest.approx(35.0 / 9.859, rel=1e-3)
    assert changes["stress"].label == RELIABLE_IMPROVEMENT
    assert changes["support"].label == WITHIN_NORMAL
    assert (changes["communication"].delta, changes["communication"].rci) == (35.0, None)
    assert changes["communication"].label == QUESTIONS_CHANGED
    assert not changes["communication"].judged


def test_v2_to_v3_judges_no_checkup_area_and_v2_to_v3_pulse_four() -> None:
    """Every check-up area changed its questions in v3; the pulse kept four of six."""
    for qid, judged in (
        ("checkup", set()),
        ("pulse", {"communication", "emotional_needs", "romance", "intimacy"}),
    ):
        v2, v3 = CATALOG.get(qid, 2), CATALOG.get(qid, 3)
        same = {d.id for d in v3.dimensions if same_questions(v2, v3, d.id)}
        assert same == judged, qid


@SETTINGS
@given(st.integers(CHECKUP_V3.scale.min, CHECKUP_V3.scale.max))
def test_checkup_v3_answering_one_step_to_everything_scores_every_area_the_same(step) -> None:
    """Two reverse-keyed items in every area: agreeing (or anything) with all is no pattern."""
    scores = dimension_scores(CHECKUP_V3, {item.id: step for item in CHECKUP_V3.items})
    assert len(set(scores.values())) == 1, scores
    assert None not in scores.values()


def test_the_same_step_rule_would_catch_v2() -> None:
    """v2 (one reverse item in some areas) fails it: "Agree" to all gave 66.7 and 55.0."""
    v2 = CATALOG.get("checkup", 2)
    scores = dimension_scores(v2, {item.id: 4 for item in v2.items})
    assert scores["communication"] == 66.7 and scores["stress"] == 55.0


@SETTINGS
@given(_answers(CHECKUP_V3), st.sampled_from([i.id for i in CHECKUP_V3.items]))
def test_checkup_v3_na_is_missing_never_zero(answers, item_id) -> None:
    """An item answered "na" leaves the mean of the others: never counted as the lowest answer."""
    scale = CHECKUP_V3.scale
    answers = dict(answers, **{item_id: None})
    dimension = CHECKUP_V3.item(item_id).dimension
    items = CHECKUP_V3.items_of(dimension)
    keyed = [
        (scale.min + scale.max - answers[i.id]) if i.reverse else answers[i.id]
        for i in items
        if answers[i.id] is not None
    ]
    score = dimension_scores(CHECKUP_V3, answers)[dimension]
    if len(keyed) < required_answers(len(items)):
        assert score is None
    else:
        mean = sum(keyed) / len(keyed)
        expected = 100 * (mean - scale.min) / (scale.max - scale.min)
        assert score is not None and abs(score - expected) <= 0.05 + 1e-9


def test_checkup_v3_na_example() -> None:
    """Five "Strongly agree" (keyed 5) and one "Doesn't apply to us": 100.0, not 83.3."""
    answers = {item.id: (1 if item.reverse else 5) for item in CHECKUP_V3.items}
    answers["str_hard_as_team"] = None
    assert dimension_scores(CHECKUP_V3, answers)["stress"] == 100.0


def test_v3_overall_needs_five_areas_v2_needs_six() -> None:
    """v3 scores the overall over 5 areas when one is missing; v1 and v2 keep needing all six."""
    five = dict.fromkeys(["communication", "emotional_needs", "stress", "romance", "support"], 50.0)
    scores = {**five, "intimacy": None}
    assert overall_of(CHECKUP_V3, scores) == 50.0
    assert overall_of(CATALOG.get("checkup", 2), scores) is None
    assert overall_of(CATALOG.get("checkup", 1), scores) is None
    four = {**scores, "support": None}
    assert overall_of(CHECKUP_V3, four) is None
