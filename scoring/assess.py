"""One call that scores a whole assessment: what the web layer stores."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from questionnaires.models import Questionnaire, StrategyLibrary

from .dimensions import Focus, band, dimension_scores, focus_areas, overall_score
from .strategies import Suggestion, select_strategies


@dataclass(frozen=True)
class ScoredAssessment:
    """Everything derived from one set of answers at the moment it was scored."""

    scores: dict[str, float | None]
    bands: dict[str, str | None]
    overall: float | None
    focus: Focus
    suggestions: tuple[Suggestion, ...]
    flagged: bool


def is_flagged(safety: Mapping[str, str]) -> bool:
    """Any "yes" on the safety screen flags the assessment (docs/architecture.md#safety)."""
    return any(response == "yes" for response in safety.values())


def score_assessment(
    questionnaire: Questionnaire,
    library: StrategyLibrary,
    answers: Mapping[str, int | None],
    safety: Mapping[str, str],
    *,
    unhelpful: frozenset[str] = frozenset(),
) -> ScoredAssessment:
    """Scores, bands, overall, focus and suggestions for one set of answers."""
    scores = dimension_scores(questionnaire, answers)
    focus = focus_areas(questionnaire, scores)
    flagged = is_flagged(safety)
    return ScoredAssessment(
        scores=scores,
        bands={dimension: band(score) for dimension, score in scores.items()},
        overall=overall_score(scores),
        focus=focus,
        suggestions=select_strategies(
            library, questionnaire, answers, focus, flagged=flagged, unhelpful=unhelpful
        ),
        flagged=flagged,
    )
