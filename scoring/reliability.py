"""How reliable the questions are, measured on real answers (DESIGN.md §12).

Pure functions over keyed answers (one row per person, one column per item of one
dimension), pandas and numpy only. Two ways in, with the same answers out:

- from a frame of answers: ``cronbach_alpha``, ``item_total_correlations``,
  ``alpha_if_deleted``, ``score_sd``;
- from aggregates only, ``Aggregate(n, item means, item covariance)``, which is all a
  server ever shares: ``aggregate`` makes one, ``pool`` combines several exactly, and
  ``summarise`` gives every figure from it. Pooled-from-parts equals computed-on-whole.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

# Below this many people a figure is too unsteady to show (DESIGN.md §12).
MIN_PEOPLE = 30
CONFIDENCE = 0.95
# pingouin rounds the interval it returns to three decimals.
CI_DECIMALS = 3


@dataclass(frozen=True)
class AlphaEstimate:
    """Cronbach's alpha of ``k`` items over ``n`` people with its Feldt interval (unrounded)."""

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    k: int

    @property
    def ci_rounded(self) -> tuple[float, float]:
        """The interval rounded as pingouin returns it (``np.round(..., 3)``)."""
        low, high = np.round([self.ci_low, self.ci_high], CI_DECIMALS)
        return float(low), float(high)

    @property
    def half_width(self) -> float:
        """Half the interval's width: how precisely alpha is known."""
        return (self.ci_high - self.ci_low) / 2


def _alpha_from_covariance(covariance: np.ndarray) -> float:
    """alpha = k / (k - 1) * (1 - trace(C) / sum(C)); NaN when the total has no variance."""
    k = covariance.shape[0]
    if k < 2:
        return math.nan
    total = float(covariance.sum())
    if total == 0 or not math.isfinite(total):
        return math.nan
    return (k / (k - 1)) * (1 - float(np.trace(covariance)) / total)


def feldt_interval(
    alpha: float, n: int, k: int, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Feldt's interval for alpha: ``1 - (1 - alpha) * F``, F with (n - 1, (n - 1)(k - 1)) df.

    Lower bound ``1 - (1 - a) * F.isf(c / 2)``, upper ``1 - (1 - a) * F.isf(1 - c / 2)``
    with ``c = 1 - confidence``. Source: Feldt, Woodruff & Salih (1987), Statistical
    inference for coefficient alpha, Applied Psychological Measurement 11(1), 93-103,
    formula 6; computed as pingouin's ``cronbach_alpha`` does (``scipy.stats.f.isf``).
    """
    if not math.isfinite(alpha) or n < 2 or k < 2:
        return math.nan, math.nan
    tail = 1 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lower = 1 - (1 - alpha) * f_isf(tail / 2, df1, df2)
    upper = 1 - (1 - alpha) * f_isf(1 - tail / 2, df1, df2)
    return lower, upper


def cronbach_alpha(items: pd.DataFrame, confidence: float = CONFIDENCE) -> AlphaEstimate:
    """Cronbach's alpha and its Feldt interval, exactly as ``pingouin.cronbach_alpha`` does.

    ``alpha = k / (k - 1) * (1 - sum(var_i) / var(total))`` from the item covariance
    matrix C (``1 - trace(C) / sum(C)``). Source: Cronbach (1951), Coefficient alpha and
    the internal structure of tests, Psychometrika 16(3), 297-334. Missing answers are
    handled as pingouin's default ``nan_policy="pairwise"``: C from pairwise-complete
    pairs (``DataFrame.cov``), and n, the interval's degrees of freedom, counts every
    row. (pingouin's ``"listwise"`` also keeps that n; Rekindle instead passes only the
    people who answered every item, so both policies agree on what it passes.)
    """
    n, k = items.shape
    if k < 2 or n < 2:
        return AlphaEstimate(math.nan, math.nan, math.nan, n, k)
    covariance = items.astype("float64").cov().to_numpy()
    alpha = _alpha_from_covariance(covariance)
    low, high = feldt_interval(alpha, n, k, confidence)
    return AlphaEstimate(alpha, low, high, n, k)


def item_total_correlations(items: pd.DataFrame) -> pd.Series:
    """Corrected item-total r: each keyed item against the sum of the *other* items.

    ``r_i = corr(x_i, T - x_i)`` with T the row total, over people who answered every
    item; NaN when either side has no variance. Correcting (leaving the item out of the
    total) stops an item correlating with itself. Source: Nunnally & Bernstein (1994),
    Psychometric Theory, 3rd ed., ch. 8; psych::alpha's ``r.drop``.
    """
    complete = items.dropna().astype("float64")
    total = complete.sum(axis=1)
    values = {}
    for column in complete.columns:
        rest = total - complete[column]
        values[column] = _correlation(complete[column].to_numpy(), rest.to_numpy())
    return pd.Series(values, dtype="float64")


def _correlation(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 2:
        return math.nan
    dx, dy = x - x.mean(), y - y.mean()
    denominator = math.sqrt(float((dx * dx).sum()) * float((dy * dy).sum()))
    return float((dx * dy).sum()) / denominator if denominator > 0 else math.nan


def alpha_if_deleted(items: pd.DataFrame) -> pd.Series:
    """Alpha of the other items when each one is left out (NaN when one item would remain).

    The same alpha as ``cronbach_alpha`` over the remaining k - 1 columns, people who
    answered every item; an item whose removal raises alpha is pulling the scale apart.
    Source: psych::alpha's ``alpha.drop`` (Revelle), SPSS "Cronbach's alpha if item deleted".
    """
    complete = items.dropna()
    return pd.Series(
        {
            column: cronbach_alpha(complete.drop(columns=[column])).alpha
            for column in complete.columns
        },
        dtype="float64",
    )


def score_sd(scores: Sequence[float | None] | pd.Series) -> float | None:
    """The sample SD (ddof = 1) of dimension scores: ``sqrt(sum((x - mean)^2) / (n - 1))``.

    Missing scores are left out; None with fewer than two. The spread that the reliable
    change index divides by (Jacobson & Truax 1991, ``SEM = sd * sqrt(1 - r)``).
    """
    values = pd.Series(scores, dtype="float64").dropna()
    if len(values) < 2:
        return None
    return float(values.std(ddof=1))


def dimension_score_values(items: pd.DataFrame, scale_min: int, scale_max: int) -> pd.Series:
    """Unrounded dimension scores ``100 * (mean keyed - min) / (max - min)`` of complete rows."""
    complete = items.dropna().astype("float64")
    return 100 * (complete.mean(axis=1) - scale_min) / (scale_max - scale_min)


# --- From aggregates: what servers may share -------------------------------------------


@dataclass(frozen=True)
class Aggregate:
    """n people, their item means and item covariance (ddof = 1; zeros below two people)."""

    n: int
    means: np.ndarray
    covariance: np.ndarray

    @property
    def k(self) -> int:
        """How many items."""
        return len(self.means)

    def scatter(self) -> np.ndarray:
        """The sums of squares and cross-products about the means: ``(n - 1) * C``."""
        return self.covariance * max(self.n - 1, 0)


def aggregate(items: pd.DataFrame) -> Aggregate:
    """n, item means and item covariance of the people who answered every item."""
    complete = items.dropna().to_numpy(dtype="float64")
    n, k = complete.shape
    if n == 0:
        return Aggregate(0, np.zeros(k), np.zeros((k, k)))
    means = complete.mean(axis=0)
    if n == 1:
        return Aggregate(1, means, np.zeros((k, k)))
    centred = complete - means
    scatter = centred.T @ centred
    # Exactly symmetric, whatever order the matrix product summed in.
    return Aggregate(n, means, (scatter + scatter.T) / 2 / (n - 1))


def pool(parts: Sequence[Aggregate]) -> Aggregate:
    """Several aggregates of the same items combined exactly, as if computed on all rows.

    Pairwise update (Chan, Golub & LeVeque 1979, "Updating formulae and a pairwise
    algorithm for computing sample variances"): with ``d = mean_b - mean_a``,
    ``n = n_a + n_b``, ``mean = mean_a + d * n_b / n`` and
    ``M = M_a + M_b + outer(d, d) * n_a * n_b / n``, M the scatter ``(n - 1) * C``.
    """
    if not parts:
        raise ValueError("nothing to pool")
    k = parts[0].k
    if any(part.k != k for part in parts):
        raise ValueError("aggregates of different numbers of items cannot be pooled")
    n, means, scatter = 0, np.zeros(k), np.zeros((k, k))
    for part in parts:
        if part.n == 0:
            continue
        total = n + part.n
        delta = part.means - means
        means = means + delta * part.n / total
        scatter = scatter + part.scatter() + np.outer(delta, delta) * n * part.n / total
        n = total
    covariance = scatter / (n - 1) if n >= 2 else np.zeros((k, k))
    return Aggregate(n, means, covariance)


def alpha_of(part: Aggregate, confidence: float = CONFIDENCE) -> AlphaEstimate:
    """Cronbach's alpha and its Feldt interval from an aggregate (same formulas as above)."""
    if part.n < 2 or part.k < 2:
        return AlphaEstimate(math.nan, math.nan, math.nan, part.n, part.k)
    alpha = _alpha_from_covariance(part.covariance)
    low, high = feldt_interval(alpha, part.n, part.k, confidence)
    return AlphaEstimate(alpha, low, high, part.n, part.k)


def sd_of(part: Aggregate, scale_min: int, scale_max: int) -> float | None:
    """The sample SD of the dimension score, exactly, from the item covariance.

    The score is ``100 / (k (max - min)) * sum(x) - 100 min / (max - min)``, a linear
    function of the item total, so ``var(score) = (100 / (k (max - min)))^2 * 1'C1``.
    """
    if part.n < 2:
        return None
    scale = 100 / (part.k * (scale_max - scale_min))
    variance = float(part.covariance.sum()) * scale * scale
    return math.sqrt(max(variance, 0.0))


def item_total_of(part: Aggregate) -> np.ndarray:
    """Corrected item-total r from the covariance: ``sum_{j!=i} C_ij / sqrt(C_ii * V_-i)``.

    ``V_-i``, the variance of the total without item i, is the sum of C without row
    and column i.
    """
    covariance = part.covariance
    total = covariance.sum()
    values = np.full(part.k, math.nan)
    if part.n < 2:
        return values
    for i in range(part.k):
        with_rest = covariance[i].sum() - covariance[i, i]
        rest_variance = total - 2 * covariance[i].sum() + covariance[i, i]
        denominator = covariance[i, i] * rest_variance
        if denominator > 0:
            values[i] = with_rest / math.sqrt(denominator)
    return values


def alpha_if_deleted_of(part: Aggregate) -> np.ndarray:
    """Alpha of the covariance without each item's row and column."""
    values = np.full(part.k, math.nan)
    if part.n < 2:
        return values
    for i in range(part.k):
        keep = [j for j in range(part.k) if j != i]
        values[i] = _alpha_from_covariance(part.covariance[np.ix_(keep, keep)])
    return values


@dataclass(frozen=True)
class ItemFigures:
    """One item: its corrected item-total r and the alpha without it (None when undefined)."""

    id: str
    item_total_r: float | None
    alpha_if_deleted: float | None


@dataclass(frozen=True)
class DimensionFigures:
    """Everything ``flask norms report`` says of one dimension; figures None if not enough."""

    id: str
    n: int
    alpha: AlphaEstimate | None
    sd: float | None
    items: tuple[ItemFigures, ...]
    enough: bool


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def summarise(
    dimension_id: str,
    item_ids: Sequence[str],
    part: Aggregate,
    scale_min: int,
    scale_max: int,
    min_people: int = MIN_PEOPLE,
) -> DimensionFigures:
    """The dimension's figures from its aggregate; all None below ``min_people`` people."""
    if part.n < min_people:
        empty = tuple(ItemFigures(item, None, None) for item in item_ids)
        return DimensionFigures(dimension_id, part.n, None, None, empty, False)
    estimate = alpha_of(part)
    correlations, deleted = item_total_of(part), alpha_if_deleted_of(part)
    items = tuple(
        ItemFigures(item, _finite(correlations[i]), _finite(deleted[i]))
        for i, item in enumerate(item_ids)
    )
    alpha = estimate if math.isfinite(estimate.alpha) else None
    return DimensionFigures(
        dimension_id, part.n, alpha, sd_of(part, scale_min, scale_max), items, True
    )


# --- The F distribution's upper quantile, without scipy --------------------------------


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta (modified Lentz; Numerical Recipes 6.4)."""
    tiny, eps = 1e-300, 1e-16
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c
        c = c if abs(c) > tiny else tiny
        step = d * c
        h *= step
        if abs(step - 1) < eps:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta ``I_x(a, b)`` (Numerical Recipes 6.4, ``betai``)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(a * math.log(x) + b * math.log1p(-x) - _log_beta(a, b))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


@lru_cache(maxsize=1024)
def f_isf(q: float, df1: int, df2: int) -> float:
    """The F(df1, df2) value exceeded with probability q (``scipy.stats.f.isf``).

    With ``y = df1 x / (df1 x + df2)``, ``P(F <= x) = I_y(df1 / 2, df2 / 2)``
    (Abramowitz & Stegun 26.6.2); y is found by Newton steps on the beta density,
    kept inside a shrinking bracket, then turned back into x.
    """
    a, b = df1 / 2, df2 / 2
    target = 1 - q
    low, high = 0.0, 1.0
    y = a / (a + b)
    log_b = _log_beta(a, b)
    for _ in range(200):
        error = _betainc(a, b, y) - target
        if error > 0:
            high = y
        else:
            low = y
        density = math.exp((a - 1) * math.log(y) + (b - 1) * math.log1p(-y) - log_b)
        candidate = y - error / density if density > 0 else math.nan
        if not (low < candidate < high):
            candidate = (low + high) / 2
        if abs(candidate - y) <= 1e-15 * max(y, 1e-300):
            y = candidate
            break
        y = candidate
    return df2 * y / (df1 * (1 - y))
