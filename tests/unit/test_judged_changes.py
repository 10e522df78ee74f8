"""A change or a gap is judged only where the questions were the same; the overall only between
the same areas (docs/architecture.md#versions, docs/architecture.md#scoring)."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.loader import load_catalog
from questionnaires.models import Item, Norms, Questionnaire
from scoring import (
    AREAS_DIFFER,
    QUESTIONS_CHANGED,
    RELIABLE_DECLINE,
    RELIABLE_IMPROVEMENT,
    SEE_DIFFERENTLY,
    WITHIN_NORMAL,
    change_while_trying,
    changes_since,
    compare_overall,
    compare_scores,
    history_frame,
    overall_changes_since,
    overall_s_diff,
    perception_gaps,
    same_questions,
)
from tests.unit.scoring_fixtures import tiny_questionnaire

TINY = tiny_questionnaire()
# Version 2 of the tiny questionnaire: "talk" gains an item, "care" keeps its three.
TINY_V2 = TINY.model_copy(
    update={
        "version": 2,
        "items": [
            *TINY.items,
            Item(id="t4", dimension="communication", text="Item t4", reverse=False),
        ],
    }
)
VERSIONS = {1: TINY, 2: TINY_V2}
BEFORE = {"communication": 20.0, "emotional_needs": 20.0, "intimacy": 50.0}
AFTER = {"communication": 80.0, "emotional_needs": 80.0, "intimacy": 50.0}
CATALOG = load_catalog()
SHIPPED = list(CATALOG.questionnaires.values())


def test_same_questions_means_the_same_item_ids_on_the_same_scale() -> None:
    """Care kept its items (same); talk gained one (changed); an unknown version never matches."""
    assert same_questions(TINY, TINY_V2, "emotional_needs")
    assert not same_questions(TINY, TINY_V2, "communication")
    assert not same_questions(None, TINY_V2, "emotional_needs")
    wider = TINY.model_copy(
        update={"scale": TINY.scale.model_copy(update={"max": 7, "labels": list("1234567")})}
    )
    assert not same_questions(TINY, wider, "emotional_needs")


def test_a_change_across_versions_keeps_its_delta_but_is_judged_only_where_questions_match() -> (
    None
):
    """+60 in both areas: care is a reliable improvement, talk "the questions changed"."""
    changes = {
        c.dimension: c for c in compare_scores(TINY_V2, BEFORE, AFTER, answered_on=(TINY, TINY_V2))
    }
    assert (changes["emotional_needs"].delta, changes["emotional_needs"].label) == (
        60.0,
        RELIABLE_IMPROVEMENT,
    )
    talk = changes["communication"]
    assert (talk.delta, talk.rci, talk.label, talk.judged) == (60.0, None, QUESTIONS_CHANGED, False)
    assert QUESTIONS_CHANGED == "the questions changed: not judged"


def test_a_gap_between_versions_is_shown_but_not_judged_where_questions_differ() -> None:
    """Partners on different versions: care judged, talk labelled "the questions changed"."""
    gaps = {
        g.dimension: g for g in perception_gaps(TINY_V2, BEFORE, AFTER, answered_on=(TINY, TINY_V2))
    }
    assert (gaps["emotional_needs"].gap, gaps["emotional_needs"].label) == (-60.0, SEE_DIFFERENTLY)
    assert (gaps["communication"].gap, gaps["communication"].label) == (-60.0, QUESTIONS_CHANGED)


def test_a_gap_says_which_side_you_see_it_from() -> None:
    """You below your partner: "lower"; above: "higher"; level or unscored: neither."""
    gaps = {g.dimension: g for g in perception_gaps(TINY, BEFORE, AFTER)}
    assert gaps["communication"].direction == "lower"
    assert {g.dimension: g.direction for g in perception_gaps(TINY, AFTER, BEFORE)} == {
        "communication": "higher",
        "emotional_needs": "higher",
        "intimacy": None,
    }
    assert perception_gaps(TINY, {"communication": None}, AFTER)[0].direction is None


def _frame(*assessments: tuple[int, int, int, float]):  # type: ignore[no-untyped-def]
    """(id, version, month, score) per assessment: a score for talk and care, none for touch."""
    rows = []
    for assessment_id, version, month, score in assessments:
        when = datetime(2026, month, 1)
        rows += [
            (assessment_id, "tiny", version, when, "communication", score),
            (assessment_id, "tiny", version, when, "emotional_needs", score),
            (assessment_id, "tiny", version, when, "intimacy", None),
        ]
    return history_frame(rows)


def test_history_judges_each_pair_by_the_versions_it_was_answered_on() -> None:
    """v1, v2, v2: since the previous (v2 -> v2) both judged; since the first, care alone."""
    frame = _frame((1, 1, 1, 20.0), (2, 2, 2, 20.0), (3, 2, 3, 80.0))
    changes = changes_since(frame, TINY_V2, versions=VERSIONS)
    previous = {c.dimension: c.label for c in changes["previous"]}
    first = {c.dimension: c.label for c in changes["first"]}
    assert previous["communication"] == previous["emotional_needs"] == RELIABLE_IMPROVEMENT
    assert first == {
        "communication": QUESTIONS_CHANGED,
        "emotional_needs": RELIABLE_IMPROVEMENT,
        "intimacy": None,
    }


def test_a_version_the_history_does_not_know_is_never_judged() -> None:
    """Without the v1 definition, nothing can show its questions were the same: not judged."""
    frame = _frame((1, 1, 1, 20.0), (2, 2, 2, 80.0))
    labels = {c.label for c in changes_since(frame, TINY_V2)["previous"] if c.delta is not None}
    assert labels == {QUESTIONS_CHANGED}


def test_change_while_trying_across_versions_is_not_judged_where_the_questions_changed() -> None:
    """A plan chosen between a v1 and a v2 check-up: talk not judged, care judged."""
    frame = _frame((1, 1, 1, 20.0), (2, 2, 3, 80.0))
    chosen = datetime(2026, 2, 1)
    talk = change_while_trying(frame, TINY_V2, "communication", chosen, versions=VERSIONS)
    care = change_while_trying(frame, TINY_V2, "emotional_needs", chosen, versions=VERSIONS)
    assert talk is not None and (talk.delta, talk.label) == (60.0, QUESTIONS_CHANGED)
    assert care is not None and care.label == RELIABLE_IMPROVEMENT


V3 = CATALOG.get("checkup", 3)
SIX = dict.fromkeys((d.id for d in V3.dimensions), 50.0)


def test_overall_change_is_judged_between_the_same_areas_as_strictly_as_one_area() -> None:
    """v3 norms: S_diff of the overall is sqrt(2) x the mean SEM, 13.94; 27.4 points is reliable."""
    assert overall_s_diff([d.norms for d in V3.dimensions]) == pytest.approx(13.943, abs=1e-3)
    up = compare_overall(V3, SIX, {k: v + 27.4 for k, v in SIX.items()})
    assert (up.dimension, up.delta, up.label) == ("overall", 27.4, RELIABLE_IMPROVEMENT)
    small = compare_overall(V3, SIX, {k: v + 27.2 for k, v in SIX.items()})
    assert small.label == WITHIN_NORMAL
    down = compare_overall(V3, SIX, {k: v - 30.0 for k, v in SIX.items()})
    assert down.label == RELIABLE_DECLINE


def test_overall_change_between_different_areas_is_shown_but_not_judged() -> None:
    """Six areas before, five after (intimacy left blank): the delta, "different areas"."""
    after = {**{k: v + 40.0 for k, v in SIX.items()}, "intimacy": None}
    change = compare_overall(V3, SIX, after)
    assert (change.before, change.after, change.delta) == (50.0, 90.0, 40.0)
    assert (change.rci, change.label) == (None, AREAS_DIFFER)
    five = {**SIX, "intimacy": None}
    same_five = compare_overall(V3, five, {**five, "support": 90.0})
    assert same_five.label == WITHIN_NORMAL  # +8.0 over the same five areas: judged


def test_overall_change_across_versions_with_changed_questions_is_not_judged() -> None:
    """v2 -> v3: every area's questions changed, so the overall is not judged either."""
    v2 = CATALOG.get("checkup", 2)
    change = compare_overall(V3, SIX, {k: v + 40.0 for k, v in SIX.items()}, answered_on=(v2, V3))
    assert (change.delta, change.label) == (40.0, QUESTIONS_CHANGED)
    v1_overall = compare_overall(V3, {**SIX, "intimacy": None}, SIX, answered_on=(v2, V3))
    assert v1_overall.before is None and v1_overall.label is None  # v2 needs all six


def test_history_gives_the_overall_change_beside_its_tables() -> None:
    """overall_changes_since: since the previous and the first, by each version's own rule."""
    frame = _frame((1, 1, 1, 20.0), (2, 2, 2, 20.0), (3, 2, 3, 80.0))
    overall = overall_changes_since(frame, TINY_V2, versions=VERSIONS)
    # touch is unscored in all three, so TINY's overall (needs all) is None everywhere.
    assert overall["previous"].before is None and overall["previous"].label is None
    tiny_v2_five = TINY_V2.model_copy(update={"overall_needs": 2})
    versions = {1: TINY.model_copy(update={"overall_needs": 2}), 2: tiny_v2_five}
    overall = overall_changes_since(frame, tiny_v2_five, versions=versions)
    assert overall["previous"].label == RELIABLE_IMPROVEMENT
    assert overall["first"].label == QUESTIONS_CHANGED


score = st.one_of(st.none(), st.integers(0, 1000).map(lambda tenths: tenths / 10))


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(SHIPPED),
    st.sampled_from(SHIPPED),
    st.fixed_dictionaries({d: score for d in SIX}),
    st.fixed_dictionaries({d: score for d in SIX}),
)
def test_no_change_or_gap_across_different_questions_is_ever_called_reliable(
    earlier: Questionnaire, later: Questionnaire, before, after
) -> None:
    """Any two shipped versions, any scores: where the questions differ, no RCI label at all."""
    judge = later
    on = (earlier, later)
    for change in compare_scores(judge, before, after, answered_on=on):
        if change.delta is not None and not same_questions(earlier, later, change.dimension):
            assert change.label == QUESTIONS_CHANGED and change.rci is None
    for gap in perception_gaps(judge, before, after, answered_on=on):
        if gap.gap is not None and not same_questions(earlier, later, gap.dimension):
            assert gap.label == QUESTIONS_CHANGED
    overall = compare_overall(judge, before, after, answered_on=on)
    if overall.label in (RELIABLE_IMPROVEMENT, RELIABLE_DECLINE, WITHIN_NORMAL):
        scored = [d for d in SIX if before[d] is not None]
        assert scored == [d for d in SIX if after[d] is not None]
        assert all(same_questions(earlier, later, d) for d in scored)


def test_norms_given_still_judge_only_the_same_questions() -> None:
    """Measured norms narrow the judgement; they never make a changed question judged."""
    narrow = {"communication": Norms(sd=1.0, reliability=0.9)}
    talk = compare_scores(TINY_V2, BEFORE, AFTER, narrow, answered_on=(TINY, TINY_V2))[0]
    assert talk.label == QUESTIONS_CHANGED
