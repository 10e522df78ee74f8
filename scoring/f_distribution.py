"""The F distribution's upper quantile, without scipy: what the Feldt interval needs."""

from __future__ import annotations

import math
from functools import lru_cache


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
