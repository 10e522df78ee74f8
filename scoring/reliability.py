"""How reliable the questions are, measured on real answers (docs/architecture.md#norms).

Pure functions over keyed answers (one row per person, one column per item of one
dimension), pandas and numpy only. Two ways in, with the same answers out:

- from a frame of answers: ``cronbach_alpha``, ``item_total_correlations``,
  ``alpha_if_deleted``, ``score_sd``;
- from aggregates only: ``scoring.pooling`` (what servers may share, pooled exactly).

The F distribution's quantile behind the Feldt interval is in ``scoring.f_distribution``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .f_distribution import f_isf

# Below this many people a figure is too unsteady to show (docs/architecture.md#norms).
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


def alpha_from_covariance(covariance: np.ndarray) -> float:
    """alpha = k / (k - 1) * (1 - trace(C) / sum(C)); NaN when the total has no variance."""
    k: int = covariance.shape[0]  # a bare ndarray's shape is typed Any
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
    alpha = alpha_from_covariance(covariance)
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
