"""The scoring functions judge change with measured norms when they are handed some, as data."""

from __future__ import annotations

from datetime import datetime

from questionnaires.models import Norms
from scoring import (
    RELIABLE_IMPROVEMENT,
    SEE_DIFFERENTLY,
    SEE_SAME,
    WITHIN_NORMAL,
    change_while_trying,
    changes_since,
    compare_scores,
    history_frame,
    perception_gaps,
)
from tests.unit.scoring_fixtures import tiny_questionnaire

TINY = tiny_questionnaire()
# Narrow measured norms for one dimension: 1.96 x sqrt(2) x 10 x sqrt(0.1) = 8.8 points.
NARROW = {"communication": Norms(sd=10.0, reliability=0.9, source="from 300 people")}
BEFORE = {"communication": 50.0, "emotional_needs": 50.0, "intimacy": None}
AFTER = {"communication": 60.0, "emotional_needs": 60.0, "intimacy": None}


def test_compare_scores_uses_given_norms_and_the_yaml_elsewhere() -> None:
    """A 10-point change: reliable with the narrow norms, normal variation with the YAML's."""
    provisional = {c.dimension: c.label for c in compare_scores(TINY, BEFORE, AFTER)}
    measured = {c.dimension: c.label for c in compare_scores(TINY, BEFORE, AFTER, NARROW)}
    assert provisional["communication"] == WITHIN_NORMAL
    assert measured["communication"] == RELIABLE_IMPROVEMENT
    assert measured["emotional_needs"] == WITHIN_NORMAL  # no measured norms: the YAML's
    assert measured["intimacy"] is None


def test_perception_gaps_use_given_norms() -> None:
    """The same 10-point gap is seen differently only with the narrow norms."""
    assert perception_gaps(TINY, AFTER, BEFORE)[0].label == SEE_SAME
    assert perception_gaps(TINY, AFTER, BEFORE, NARROW)[0].label == SEE_DIFFERENTLY


def test_history_and_plans_pass_the_norms_on() -> None:
    """changes_since and change_while_trying use the norms they are given."""
    rows = [
        (1, "tiny", 1, datetime(2026, 1, 1), "communication", 50.0),
        (2, "tiny", 1, datetime(2026, 2, 1), "communication", 60.0),
    ]
    frame = history_frame(rows)
    assert changes_since(frame, TINY)["previous"][0].label == WITHIN_NORMAL
    assert changes_since(frame, TINY, NARROW)["previous"][0].label == RELIABLE_IMPROVEMENT
    chosen = datetime(2026, 1, 15)
    assert change_while_trying(frame, TINY, "communication", chosen).label == WITHIN_NORMAL
    measured = change_while_trying(frame, TINY, "communication", chosen, NARROW)
    assert measured.label == RELIABLE_IMPROVEMENT
