"""Repeated timings summarised as median, min and max, in milliseconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """Milliseconds over repeated runs."""

    median: float
    low: float
    high: float
    runs: int


def measure(action: Callable[[], object], repeats: int, warmup: int = 2) -> Timing:
    """Run ``action`` a few times unmeasured, then ``repeats`` times measured."""
    for _ in range(warmup):
        action()
    durations = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        durations.append((time.perf_counter() - start) * 1000)
    return Timing(statistics.median(durations), min(durations), max(durations), repeats)


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the values fall (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]
