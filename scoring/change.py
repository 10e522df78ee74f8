"""Reliable change between two assessments (Jacobson & Truax, 1991)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from questionnaires.models import Norms, Questionnaire

# Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical approach to
# defining meaningful change in psychotherapy research. J Consult Clin Psychol, 59(1), 12-19.
RCI_CRITICAL = 1.96
RELIABLE_IMPROVEMENT = "reliable improvement"
RELIABLE_DECLINE = "reliable decline"
WITHIN_NORMAL = "within normal variation"


def standard_error(norms: Norms) -> float:
    """SEM = sd * sqrt(1 - reliability): how far one score strays from the true one."""
    return norms.sd * math.sqrt(1 - norms.reliability)


def s_diff(norms: Norms) -> float:
    """The spread of a difference between two scores: sqrt(2) * SEM."""
    return math.sqrt(2) * standard_error(norms)


def reliable_change_index(delta: float, norms: Norms) -> float:
    """RCI = delta / S_diff: a change measured in units of measurement noise."""
    return delta / s_diff(norms)


def change_label(rci: float) -> str:
    """Plain words for an RCI: reliable improvement, reliable decline, or normal variation."""
    if rci >= RCI_CRITICAL:
        return RELIABLE_IMPROVEMENT
    if rci <= -RCI_CRITICAL:
        return RELIABLE_DECLINE
    return WITHIN_NORMAL


@dataclass(frozen=True)
class DimensionChange:
    """One dimension's change; None fields when either side has no score."""

    dimension: str
    before: float | None
    after: float | None
    delta: float | None
    rci: float | None
    label: str | None


def norms_of(
    questionnaire: Questionnaire, dimension_id: str, norms: Mapping[str, Norms] | None = None
) -> Norms:
    """The norms a dimension is judged with: measured ones when given, else the YAML's."""
    if norms is not None and dimension_id in norms:
        return norms[dimension_id]
    return questionnaire.dimension(dimension_id).norms


def compare_scores(
    questionnaire: Questionnaire,
    before: Mapping[str, float | None],
    after: Mapping[str, float | None],
    norms: Mapping[str, Norms] | None = None,
) -> tuple[DimensionChange, ...]:
    """Per dimension, in definition order: delta, RCI and its label.

    ``norms`` (dimension id -> Norms) are the ones measured on real answers; a dimension
    without them is judged with this version's provisional norms from the YAML.
    """
    changes = []
    for dimension in questionnaire.dimensions:
        old, new = before.get(dimension.id), after.get(dimension.id)
        if old is None or new is None:
            changes.append(DimensionChange(dimension.id, old, new, None, None, None))
            continue
        delta = round(new - old, 1)
        rci = reliable_change_index(delta, norms_of(questionnaire, dimension.id, norms))
        changes.append(DimensionChange(dimension.id, old, new, delta, rci, change_label(rci)))
    return tuple(changes)
