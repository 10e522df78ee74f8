"""How two partners see the same six dimensions, and whether they see them differently."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from questionnaires.models import Norms, Questionnaire, StarterDirection

from .change import QUESTIONS_CHANGED, RCI_CRITICAL, AnsweredOn, norms_of, s_diff, same_questions

SEE_DIFFERENTLY = "you see this differently"
SEE_SAME = "you see this much the same"
PAIR_WITHIN_DAYS = 30


@dataclass(frozen=True)
class Gap:
    """One dimension: your score, your partner's, the gap (you - partner) and its label."""

    dimension: str
    you: float | None
    partner: float | None
    gap: float | None
    label: str | None

    @property
    def direction(self) -> StarterDirection | None:
        """How you see the area against your partner: "lower", "higher", or None when level.

        It chooses the conversation starter you are offered (docs/architecture.md#partner):
        the one who sees it lower is invited to say what they need, the other to listen.
        """
        if self.gap is None or self.gap == 0:
            return None
        return "lower" if self.gap < 0 else "higher"


def perception_gaps(
    questionnaire: Questionnaire,
    you: Mapping[str, float | None],
    partner: Mapping[str, float | None],
    norms: Mapping[str, Norms] | None = None,
    *,
    answered_on: AnsweredOn | None = None,
) -> tuple[Gap, ...]:
    """A gap is real when it is at least as large as a reliable change (1.96 x S_diff).

    ``norms`` as in ``compare_scores``: measured ones where given, else the YAML's.
    ``answered_on`` (your version, your partner's) as there: where the two asked different
    questions, the gap is shown and labelled QUESTIONS_CHANGED, never judged.
    """
    gaps = []
    for dimension in questionnaire.dimensions:
        mine, theirs = you.get(dimension.id), partner.get(dimension.id)
        if mine is None or theirs is None:
            gaps.append(Gap(dimension.id, mine, theirs, None, None))
            continue
        gap = round(mine - theirs, 1)
        if answered_on is not None and not same_questions(*answered_on, dimension.id):
            gaps.append(Gap(dimension.id, mine, theirs, gap, QUESTIONS_CHANGED))
            continue
        threshold = RCI_CRITICAL * s_diff(norms_of(questionnaire, dimension.id, norms))
        label = SEE_DIFFERENTLY if abs(gap) >= threshold else SEE_SAME
        gaps.append(Gap(dimension.id, mine, theirs, gap, label))
    return tuple(gaps)


def pair_checkups(
    yours: Sequence[tuple[int, datetime]],
    partners: Sequence[tuple[int, datetime]],
    within_days: int = PAIR_WITHIN_DAYS,
) -> list[tuple[int, int, datetime]]:
    """Pairs (yours, partner's, midpoint) taken within ``within_days``, closest first.

    Each check-up is in at most one pair; the result is ordered by midpoint.
    """
    window = timedelta(days=within_days)
    # Only partners' check-ups inside each window are candidates: sort once, bisect per
    # check-up, so years of weekly check-ups do not cost every-one-against-every-one.
    theirs_sorted = sorted(partners, key=lambda p: p[1])
    their_times = [at for _, at in theirs_sorted]
    candidates = []
    for mine_id, mine_at in yours:
        start = bisect_left(their_times, mine_at - window)
        end = bisect_right(their_times, mine_at + window)
        for theirs_id, theirs_at in theirs_sorted[start:end]:
            candidates.append(
                (abs(mine_at - theirs_at), min(mine_at, theirs_at), mine_id, theirs_id)
            )
    candidates.sort()
    times = {("y", i): t for i, t in yours} | {("p", i): t for i, t in partners}
    used_yours: set[int] = set()
    used_partners: set[int] = set()
    pairs = []
    for _distance, _earlier, mine_id, theirs_id in candidates:
        if mine_id in used_yours or theirs_id in used_partners:
            continue
        used_yours.add(mine_id)
        used_partners.add(theirs_id)
        mine_at, theirs_at = times[("y", mine_id)], times[("p", theirs_id)]
        pairs.append((mine_id, theirs_id, mine_at + (theirs_at - mine_at) / 2))
    return sorted(pairs, key=lambda pair: (pair[2], pair[0]))
