"""The shipped check-up and pulse, v1 and v2, through the pure engine.

See docs/architecture.md#scoring and docs/architecture.md#versions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from questionnaires.loader import load_catalog
from scoring import RELIABLE_IMPROVEMENT, WITHIN_NORMAL, compare_scores, dimension_scores

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "scoring"
CATALOG = load_catalog()
VERSIONS = [CATALOG.get(qid, v) for qid in ("checkup", "pulse") for v in (1, 2)]
SETTINGS = settings(max_examples=60, deadline=None)


def test_checkup_v2_golden_file() -> None:
    """Three v2 check-ups score as tests/data/scoring/checkup_v2_scores.csv says (by hand)."""
    v2 = CATALOG.get("checkup", 2)
    answers = pd.read_csv(GOLDEN / "checkup_v2_answers.csv", dtype={"answer": "Int64"})
    rows = []
    for assessment, group in answers.groupby("assessment", sort=True):
        given_answers = {
            item: (None if pd.isna(value) else int(value))
            for item, value in zip(group["item_id"], group["answer"], strict=True)
        }
        assert set(given_answers) == {i.id for i in v2.items}, assessment
        for dimension, score in dimension_scores(v2, given_answers).items():
            rows.append((assessment, dimension, score))
    actual = pd.DataFrame(rows, columns=["assessment", "dimension", "score"]).astype(
        {"score": "float64"}
    )
    assert_frame_equal(actual, pd.read_csv(GOLDEN / "checkup_v2_scores.csv"))


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


def test_a_v1_checkup_compares_with_a_v2_one_on_v2_norms() -> None:
    """Same dimension ids across versions; the newer version's norms judge the change."""
    v1, v2 = CATALOG.get("checkup", 1), CATALOG.get("checkup", 2)
    before = dict.fromkeys((d.id for d in v1.dimensions), 40.0)
    after = dict(before, communication=75.0, romance=50.0)
    changes = {c.dimension: c for c in compare_scores(v2, before, after)}
    assert set(changes) == {d.id for d in v2.dimensions}
    # v2 norms: sd 18, reliability .85 -> S_diff = sqrt(2) * 18 * sqrt(.15) = 9.859
    assert changes["communication"].delta == 35.0
    assert changes["communication"].rci == pytest.approx(35.0 / 9.859, rel=1e-3)
    assert changes["communication"].label == RELIABLE_IMPROVEMENT
    assert changes["romance"].label == WITHIN_NORMAL
