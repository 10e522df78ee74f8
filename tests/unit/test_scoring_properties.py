"""Properties of the engine that must hold for every answer, found by hypothesis."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from questionnaires.models import Norms
from scoring import (
    RELIABLE_DECLINE,
    RELIABLE_IMPROVEMENT,
    change_label,
    dimension_scores,
    pair_checkups,
    perception_gaps,
    reliable_change_index,
)
from tests.unit.scoring_fixtures import tiny_questionnaire

TINY = tiny_questionnaire()
FLIPPED = tiny_questionnaire(reverse_flips=True)
ITEM_IDS = [item.id for item in TINY.items]
SETTINGS = settings(max_examples=200, deadline=None)

answer = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
answer_sets = st.fixed_dictionaries({item_id: answer for item_id in ITEM_IDS})
score = st.one_of(st.none(), st.floats(min_value=0, max_value=100).map(lambda x: round(x, 1)))
score_sets = st.fixed_dictionaries({d.id: score for d in TINY.dimensions})


@SETTINGS
@given(answer_sets)
def test_scores_stay_between_0_and_100(answers) -> None:
    """Whatever is answered, every score is None or within 0..100."""
    for value in dimension_scores(TINY, answers).values():
        assert value is None or 0.0 <= value <= 100.0


@SETTINGS
@given(answer_sets, st.sampled_from(ITEM_IDS))
def test_raising_an_answer_moves_its_score_the_keyed_way(answers, item_id) -> None:
    """One step up never lowers a positive item's dimension, never raises a reverse one's."""
    assume(answers[item_id] is not None and answers[item_id] < 5)  # there is a step up
    item = TINY.item(item_id)
    before = dimension_scores(TINY, answers)[item.dimension]
    after = dimension_scores(TINY, {**answers, item_id: answers[item_id] + 1})[item.dimension]
    if before is None:
        assert after is None
    elif item.reverse:
        assert after <= before
    else:
        assert after >= before


@SETTINGS
@given(answer_sets)
def test_reverse_keying_is_symmetric(answers) -> None:
    """Flip every item's keying and mirror every answer: the scores are identical."""
    mirrored = {k: (None if v is None else 6 - v) for k, v in answers.items()}
    assert dimension_scores(FLIPPED, mirrored) == dimension_scores(TINY, answers)


@SETTINGS
@given(
    # Deltas are differences of scores stored with one decimal.
    st.integers(min_value=-1000, max_value=1000).map(lambda tenths: tenths / 10),
    st.floats(min_value=1, max_value=40),
    st.floats(min_value=0.05, max_value=0.95),
)
def test_rci_has_the_sign_of_the_change(delta, sd, reliability) -> None:
    """The RCI points the way the score moved, and its label never contradicts it."""
    rci = reliable_change_index(delta, Norms(sd=sd, reliability=reliability))
    assert (rci > 0) == (delta > 0) and (rci < 0) == (delta < 0)
    label = change_label(rci)
    if delta <= 0:
        assert label != RELIABLE_IMPROVEMENT
    if delta >= 0:
        assert label != RELIABLE_DECLINE


@SETTINGS
@given(score_sets, score_sets)
def test_swapping_partners_negates_gaps_and_keeps_labels(you, partner) -> None:
    """Seen from the other side, every gap changes sign and no label changes."""
    mine = perception_gaps(TINY, you, partner)
    theirs = perception_gaps(TINY, partner, you)
    for a, b in zip(mine, theirs, strict=True):
        assert a.label == b.label
        assert (a.gap is None and b.gap is None) or a.gap == -b.gap


moments = st.lists(st.integers(min_value=0, max_value=400), max_size=8)


@SETTINGS
@given(moments, moments)
def test_pairs_never_reuse_a_checkup_and_stay_within_30_days(yours, partners) -> None:
    """Each check-up is in at most one pair, and paired ones are at most 30 days apart."""
    start = datetime(2026, 1, 1)
    mine = [(i, start + timedelta(days=d)) for i, d in enumerate(yours)]
    theirs = [(100 + i, start + timedelta(days=d)) for i, d in enumerate(partners)]
    pairs = pair_checkups(mine, theirs)
    assert len({p[0] for p in pairs}) == len(pairs) == len({p[1] for p in pairs})
    when = dict(mine) | dict(theirs)
    for my_id, their_id, midpoint in pairs:
        assert abs(when[my_id] - when[their_id]) <= timedelta(days=30)
        assert min(when[my_id], when[their_id]) <= midpoint <= max(when[my_id], when[their_id])
