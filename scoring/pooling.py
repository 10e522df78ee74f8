"""Reliability from aggregates only: n, item means and item covariance (docs/architecture.md#norms).

This is all a server ever shares: ``aggregate`` makes one from keyed answers, ``pool``
combines several exactly, and ``summarise`` gives every figure of ``flask norms report``
from one. Pooled-from-parts equals computed-on-whole (tests/unit/test_reliability.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .reliability import (
    CONFIDENCE,
    MIN_PEOPLE,
    AlphaEstimate,
    alpha_from_covariance,
    feldt_interval,
)


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
    alpha = alpha_from_covariance(part.covariance)
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
        values[i] = alpha_from_covariance(part.covariance[np.ix_(keep, keep)])
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
