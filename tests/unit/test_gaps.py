"""Perception gaps between partners, with known answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from scoring import SEE_DIFFERENTLY, SEE_SAME, pair_checkups, perception_gaps
from tests.unit.scoring_fixtures import tiny_questionnaire

TINY = tiny_questionnaire()


def test_gap_is_real_at_the_reliable_change_threshold() -> None:
    """sd 18, rel .85: 1.96 x S_diff = 19.32; a gap of 20 differs, 19 is much the same."""
    gaps = perception_gaps(
        TINY,
        {"communication": 70.0, "emotional_needs": 50.0, "intimacy": None},
        {"communication": 50.0, "emotional_needs": 69.0, "intimacy": 40.0},
    )
    assert [(gap.gap, gap.label) for gap in gaps] == [
        (20.0, SEE_DIFFERENTLY),
        (-19.0, SEE_SAME),
        (None, None),
    ]


def test_pairs_are_closest_first_and_used_once() -> None:
    """Yours on days 0 and 10, theirs on day 9: day 10 pairs with 9 (1 day), day 0 alone."""
    start = datetime(2026, 3, 1)
    pairs = pair_checkups(
        [(1, start), (2, start + timedelta(days=10))], [(7, start + timedelta(days=9))]
    )
    assert pairs == [(2, 7, start + timedelta(days=9, hours=12))]


def test_pairs_further_than_30_days_apart_are_not_made() -> None:
    """31 days apart: no pair."""
    start = datetime(2026, 3, 1)
    assert pair_checkups([(1, start)], [(2, start + timedelta(days=31))]) == []
