"""Reliable change between two assessments (Jacobson & Truax, 1991).

A change is judged only where it can be: both scores present, and the dimension asked
the same questions (by id) both times. Across versions whose questions differ, the delta
is still shown, labelled "the questions changed: not judged" (docs/architecture.md#versions).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from questionnaires.models import Norms, Questionnaire

from .dimensions import overall_of

# Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical approach to
# defining meaningful change in psychotherapy research. J Consult Clin Psychol, 59(1), 12-19.
RCI_CRITICAL = 1.96
RELIABLE_IMPROVEMENT = "reliable improvement"
RELIABLE_DECLINE = "reliable decline"
WITHIN_NORMAL = "within normal variation"
QUESTIONS_CHANGED = "the questions changed: not judged"
AREAS_DIFFER = "different areas scored: not judged"
OVERALL = "overall"

# The definitions two scores were answered on, (before, after); None for a version this
# server no longer knows, whose questions can never be shown to be the same.
AnsweredOn = tuple[Questionnaire | None, Questionnaire | None]


def standard_error(norms: Norms) -> float:
    """SEM = sd * sqrt(1 - reliability): how far one score strays from the true one."""
    return norms.sd * math.sqrt(1 - norms.reliability)


def s_diff(norms: Norms) -> float:
    """The spread of a difference between two scores: sqrt(2) * SEM."""
    return math.sqrt(2) * standard_error(norms)


def reliable_change_index(delta: float, norms: Norms) -> float:
    """RCI = delta / S_diff: a change measured in units of measurement noise."""
    return delta / s_diff(norms)


def same_questions(
    earlier: Questionnaire | None, later: Questionnaire | None, dimension_id: str
) -> bool:
    """Whether a dimension asked the same items (by id) on the same scale in both versions.

    Item ids are stable forever (a reworded item gets a new id), so the same ids mean the
    same questions; only then is a change or a gap between the two scores judged.
    """
    if earlier is None or later is None:
        return False
    if earlier is later:
        return True
    if (earlier.scale.min, earlier.scale.max) != (later.scale.min, later.scale.max):
        return False
    asked_before = {item.id for item in earlier.items_of(dimension_id)}
    asked_after = {item.id for item in later.items_of(dimension_id)}
    return bool(asked_before) and asked_before == asked_after


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

    @property
    def judged(self) -> bool:
        """Whether the change was measured against normal variation (it has an RCI)."""
        return self.rci is not None


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
    *,
    answered_on: AnsweredOn | None = None,
) -> tuple[DimensionChange, ...]:
    """Per dimension, in definition order: delta, RCI and its label.

    ``questionnaire`` is the version whose norms judge (the newer one); ``norms``
    (dimension id -> Norms) are the ones measured on real answers, and a dimension without
    them is judged with this version's provisional norms from the YAML. ``answered_on``
    names the versions the two were answered on when they may differ: a dimension whose
    questions differ keeps its delta, with no RCI and the label QUESTIONS_CHANGED.
    """
    changes = []
    for dimension in questionnaire.dimensions:
        old, new = before.get(dimension.id), after.get(dimension.id)
        if old is None or new is None:
            changes.append(DimensionChange(dimension.id, old, new, None, None, None))
            continue
        delta = round(new - old, 1)
        if answered_on is not None and not same_questions(*answered_on, dimension.id):
            changes.append(DimensionChange(dimension.id, old, new, delta, None, QUESTIONS_CHANGED))
            continue
        rci = reliable_change_index(delta, norms_of(questionnaire, dimension.id, norms))
        changes.append(DimensionChange(dimension.id, old, new, delta, rci, change_label(rci)))
    return tuple(changes)


def overall_s_diff(norms: Sequence[Norms]) -> float:
    """S_diff of an overall score, the mean of these areas' scores: sqrt(2) x mean SEM.

    The SEM of a mean of k scores is sqrt(sum SEM_i^2 + covariances) / k: the mean of
    the SEMs when the areas' errors move together (one mood colours every answer), less
    when they are independent. Until this server measures how they move together, the
    overall is judged by the cautious bound, as strictly as one area on its own.
    """
    return math.sqrt(2) * sum(standard_error(n) for n in norms) / len(norms)


def compare_overall(
    questionnaire: Questionnaire,
    before: Mapping[str, float | None],
    after: Mapping[str, float | None],
    norms: Mapping[str, Norms] | None = None,
    *,
    answered_on: AnsweredOn | None = None,
) -> DimensionChange:
    """The overall score's change (dimension ``"overall"``), each side by its own version's rule.

    Judged only between assessments whose overall covers the same areas, each asking the
    same questions both times: otherwise the delta is labelled AREAS_DIFFER or
    QUESTIONS_CHANGED, never reliable (docs/architecture.md#scoring).
    """
    earlier, later = answered_on or (questionnaire, questionnaire)
    old = overall_of(earlier, before) if earlier is not None else None
    new = overall_of(later, after) if later is not None else None
    if old is None or new is None:
        return DimensionChange(OVERALL, old, new, None, None, None)
    delta = round(new - old, 1)
    ids = [d.id for d in questionnaire.dimensions]
    areas = [d for d in ids if before.get(d) is not None]
    if areas != [d for d in ids if after.get(d) is not None]:
        return DimensionChange(OVERALL, old, new, delta, None, AREAS_DIFFER)
    if not all(same_questions(earlier, later, d) for d in areas):
        return DimensionChange(OVERALL, old, new, delta, None, QUESTIONS_CHANGED)
    spread = overall_s_diff([norms_of(questionnaire, d, norms) for d in areas])
    rci = delta / spread
    return DimensionChange(OVERALL, old, new, delta, rci, change_label(rci))
