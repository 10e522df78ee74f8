"""Reliability estimators: equal to pingouin, right on data of known reliability, poolable."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pingouin
import pytest

from scoring.reliability import (
    aggregate,
    alpha_if_deleted,
    alpha_if_deleted_of,
    alpha_of,
    cronbach_alpha,
    dimension_score_values,
    feldt_interval,
    item_total_correlations,
    item_total_of,
    pool,
    score_sd,
    sd_of,
    summarise,
)


def _likert(rng: np.random.Generator, people: int, items: int) -> pd.DataFrame:
    """Answers 1-5 that share a common part, so alpha is neither 0 nor 1."""
    trait = rng.normal(size=(people, 1))
    raw = trait + rng.normal(scale=1.0, size=(people, items))
    values = np.clip(np.round(3 + raw), 1, 5)
    return pd.DataFrame(values, columns=[f"i{j}" for j in range(items)])


def _assert_like_pingouin(frame: pd.DataFrame) -> None:
    theirs, their_ci = pingouin.cronbach_alpha(data=frame)
    mine = cronbach_alpha(frame)
    assert mine.alpha == pytest.approx(theirs, abs=1e-9)
    assert mine.ci_rounded == (float(their_ci[0]), float(their_ci[1]))


@pytest.mark.parametrize("seed", range(12))
def test_alpha_and_interval_equal_pingouin_on_random_frames(seed: int) -> None:
    """On random answer frames of many shapes, are alpha and its interval pingouin's?"""
    rng = np.random.default_rng(seed)
    people = int(rng.integers(5, 400))
    items = int(rng.integers(2, 9))
    _assert_like_pingouin(_likert(rng, people, items))


def test_two_items_equal_pingouin() -> None:
    """Two items, the smallest scale alpha is defined for."""
    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2, 3], "b": [2, 2, 3, 5, 4, 1, 3]})
    _assert_like_pingouin(frame)


def test_an_item_without_variance_equals_pingouin() -> None:
    """Everyone gave one item the same answer: alpha is still defined, and pingouin's."""
    rng = np.random.default_rng(3)
    frame = _likert(rng, 60, 4)
    frame["i0"] = 4.0
    _assert_like_pingouin(frame)


def test_no_variance_at_all_gives_nan_like_pingouin_without_a_warning() -> None:
    """All answers the same: pingouin divides 0 by 0; we say "undefined" (NaN) quietly."""
    frame = pd.DataFrame({"a": [3, 3, 3, 3], "b": [3, 3, 3, 3], "c": [3, 3, 3, 3]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        theirs, their_ci = pingouin.cronbach_alpha(data=frame)
    assert math.isnan(theirs) and all(math.isnan(v) for v in their_ci)
    mine = cronbach_alpha(frame)  # pytest turns any warning into an error here
    assert math.isnan(mine.alpha) and math.isnan(mine.ci_low) and math.isnan(mine.ci_high)


@pytest.mark.parametrize("seed", range(4))
def test_missing_answers_are_handled_as_pingouin_does(seed: int) -> None:
    """A missing answer: pairwise covariance, and n counts every row, as in pingouin."""
    rng = np.random.default_rng(100 + seed)
    frame = _likert(rng, 80, 5)
    frame.iloc[3, 1] = np.nan
    frame.iloc[int(rng.integers(0, 80)), int(rng.integers(0, 5))] = np.nan
    _assert_like_pingouin(frame)


def test_feldt_interval_is_the_published_formula() -> None:
    """Feldt, Woodruff & Salih (1987), formula 6, checked against scipy's F quantiles."""
    from scipy.stats import f

    alpha, n, k = 0.8, 50, 6
    low, high = feldt_interval(alpha, n, k)
    assert low == pytest.approx(1 - 0.2 * f.isf(0.025, 49, 245), abs=1e-12)
    assert high == pytest.approx(1 - 0.2 * f.isf(0.975, 49, 245), abs=1e-12)
    assert low < alpha < high


def test_item_total_and_alpha_if_deleted_by_hand() -> None:
    """Corrected item-total r leaves the item out of the total; alpha-if-deleted drops it."""
    rng = np.random.default_rng(8)
    frame = _likert(rng, 120, 4)
    correlations = item_total_correlations(frame)
    for column in frame.columns:
        rest = frame.drop(columns=[column]).sum(axis=1)
        assert correlations[column] == pytest.approx(frame[column].corr(rest), abs=1e-12)
        theirs, _ = pingouin.cronbach_alpha(data=frame.drop(columns=[column]))
        assert alpha_if_deleted(frame)[column] == pytest.approx(theirs, abs=1e-9)


def test_an_item_that_measures_something_else_is_found() -> None:
    """A noise item: low item-total r, and alpha rises without it."""
    rng = np.random.default_rng(9)
    frame = _likert(rng, 300, 5)
    frame["noise"] = rng.integers(1, 6, size=300).astype(float)
    whole = cronbach_alpha(frame).alpha
    assert item_total_correlations(frame)["noise"] < 0.3
    assert alpha_if_deleted(frame)["noise"] > whole


def test_score_sd_is_the_sample_sd() -> None:
    """ddof = 1, missing scores left out, None below two scores."""
    assert score_sd([50.0, 60.0, None, 70.0]) == pytest.approx(10.0)
    assert score_sd([50.0]) is None
    assert score_sd([]) is None


def test_aggregates_give_what_the_frame_gives() -> None:
    """alpha, sd, item-total r and alpha-if-deleted from (n, means, covariance) alone."""
    rng = np.random.default_rng(11)
    frame = _likert(rng, 250, 6)
    part = aggregate(frame)
    assert part.n == 250
    assert alpha_of(part).alpha == pytest.approx(cronbach_alpha(frame).alpha, abs=1e-12)
    assert alpha_of(part).ci_low == pytest.approx(cronbach_alpha(frame).ci_low, abs=1e-12)
    scores = dimension_score_values(frame, 1, 5)
    assert sd_of(part, 1, 5) == pytest.approx(score_sd(scores), abs=1e-9)
    np.testing.assert_allclose(item_total_of(part), item_total_correlations(frame), atol=1e-12)
    np.testing.assert_allclose(alpha_if_deleted_of(part), alpha_if_deleted(frame), atol=1e-12)


def test_pooled_from_parts_equals_computed_on_the_whole() -> None:
    """Three unequal parts pooled exactly: n, means, covariance, alpha and sd of the whole."""
    rng = np.random.default_rng(12)
    frame = _likert(rng, 501, 5)
    parts = [aggregate(frame.iloc[:1]), aggregate(frame.iloc[1:180]), aggregate(frame.iloc[180:])]
    pooled, whole = pool(parts), aggregate(frame)
    assert pooled.n == whole.n
    np.testing.assert_allclose(pooled.means, whole.means, atol=1e-12)
    np.testing.assert_allclose(pooled.covariance, whole.covariance, atol=1e-12)
    assert alpha_of(pooled).alpha == pytest.approx(alpha_of(whole).alpha, abs=1e-9)
    assert sd_of(pooled, 1, 5) == pytest.approx(sd_of(whole, 1, 5), abs=1e-9)


def test_summary_is_empty_below_thirty_people() -> None:
    """Fewer than 30 people: not enough, every figure None."""
    rng = np.random.default_rng(13)
    few = summarise("communication", ["a", "b", "c"], aggregate(_likert(rng, 29, 3)), 1, 5)
    assert not few.enough and few.n == 29 and few.alpha is None and few.sd is None
    assert all(i.item_total_r is None and i.alpha_if_deleted is None for i in few.items)
    enough = summarise("communication", ["a", "b", "c"], aggregate(_likert(rng, 30, 3)), 1, 5)
    assert enough.enough and enough.alpha is not None and enough.sd is not None


# --- Simulation: respondents drawn from models whose reliability is known -----------------

REPLICATIONS = 400
PEOPLE = 150


def _simulated(
    rng: np.random.Generator, loadings: np.ndarray, error_sds: np.ndarray
) -> tuple[np.ndarray, float]:
    """REPLICATIONS samples of PEOPLE from x = loading * true score + error, and true alpha.

    Population alpha from the model covariance ``C = l l' + diag(e^2)``. For parallel and
    (essentially) tau-equivalent items it equals the reliability of the total,
    ``(sum l)^2 / ((sum l)^2 + sum e^2)``; for congeneric items it is below it.
    """
    k = len(loadings)
    true_scores = rng.normal(size=(REPLICATIONS, PEOPLE, 1))
    errors = rng.normal(size=(REPLICATIONS, PEOPLE, k)) * error_sds
    data = true_scores * loadings + errors
    covariance = np.outer(loadings, loadings) + np.diag(error_sds**2)
    population_alpha = k / (k - 1) * (1 - np.trace(covariance) / covariance.sum())
    return data, float(population_alpha)


def _coverage(data: np.ndarray, truth: float) -> float:
    covered = 0
    for sample in data:
        estimate = cronbach_alpha(pd.DataFrame(sample))
        covered += estimate.ci_low <= truth <= estimate.ci_high
    return covered / len(data)


MODELS = {
    # Six parallel items: equal loadings, equal error; reliability 0.8 by construction.
    "parallel": (np.full(6, 1.0), np.full(6, math.sqrt(1.5))),
    # Equal loadings, unequal error variances: alpha still equals the reliability.
    "tau-equivalent": (np.full(5, 0.8), np.array([0.5, 0.7, 0.9, 1.1, 1.3])),
    # Unequal loadings: alpha is a lower bound of reliability; the interval is for alpha.
    "congeneric": (
        np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4]),
        np.array([0.6, 0.7, 0.8, 0.8, 0.9, 1.0]),
    ),
}


@pytest.mark.parametrize("model", list(MODELS))
def test_the_95_interval_covers_the_true_alpha_95_times_in_100(model: str) -> None:
    """400 seeded replications: the Feldt interval covers the model's alpha 93-97% of the time.

    Data are drawn in one vectorised step, so the three models take well under a second.
    """
    loadings, error_sds = MODELS[model]
    rng = np.random.default_rng(20261201)
    data, truth = _simulated(rng, loadings, error_sds)
    reliability = loadings.sum() ** 2 / (loadings.sum() ** 2 + (error_sds**2).sum())
    if model == "congeneric":
        assert truth < reliability
    else:
        assert truth == pytest.approx(reliability, abs=1e-12)
    coverage = _coverage(data, truth)
    assert 0.93 <= coverage <= 0.97, coverage


def test_a_wrong_interval_would_be_caught() -> None:
    """The coverage check can fail: a 50% interval covers far fewer than 93 of 100."""
    rng = np.random.default_rng(20261201)
    data, truth = _simulated(rng, *MODELS["parallel"])
    covered = 0
    for sample in data[:200]:
        estimate = cronbach_alpha(pd.DataFrame(sample), confidence=0.5)
        covered += estimate.ci_low <= truth <= estimate.ci_high
    assert covered / 200 < 0.7
