"""One call that scores a whole assessment: what the web layer stores."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from questionnaires.models import Questionnaire, StrategyLibrary

from .dimensions import Focus, band, dimension_scores, focus_areas, overall_of
from .strategies import Suggestion, select_strategies

# After a "yes" to a safety item about sexual violence, no advice about physical closeness is
# offered at all, safe or not (docs/architecture.md#safety).
AVOIDED_AFTER_SEXUAL_VIOLENCE = frozenset({"intimacy"})


@dataclass(frozen=True)
class ScoredAssessment:
    """Everything derived from one set of answers at the moment it was scored.

    ``flagged``: a "yes" on this assessment's own safety screen. Both lists are kept: a
    result offers ``safe_suggestions`` whenever its own screen had a "yes" or its person
    is recently flagged, and ``suggestions`` otherwise (docs/architecture.md#safety).
    """

    scores: dict[str, float | None]
    bands: dict[str, str | None]
    overall: float | None
    focus: Focus
    suggestions: tuple[Suggestion, ...]
    safe_suggestions: tuple[Suggestion, ...]
    flagged: bool
    names_sexual_violence: bool


def is_flagged(safety: Mapping[str, str]) -> bool:
    """Any "yes" on the safety screen flags the assessment (docs/architecture.md#safety)."""
    return any(response == "yes" for response in safety.values())


def names_sexual_violence(questionnaire: Questionnaire, safety: Mapping[str, str]) -> bool:
    """A "yes" to a safety item marked ``topic: sexual_violence``."""
    return any(
        item.topic == "sexual_violence" and safety.get(item.id) == "yes"
        for item in questionnaire.safety
    )


def score_assessment(
    questionnaire: Questionnaire,
    library: StrategyLibrary,
    answers: Mapping[str, int | None],
    safety: Mapping[str, str],
    *,
    unhelpful: frozenset[str] = frozenset(),
    sexual_violence_before: bool = False,
) -> ScoredAssessment:
    """Scores, bands, overall, focus and suggestions for one set of answers.

    ``sexual_violence_before`` says whether the person was already within 90 days of a
    "yes" about sexual violence: the safe list then holds no intimacy strategy at all.
    """
    scores = dimension_scores(questionnaire, answers)
    focus = focus_areas(questionnaire, scores)
    flagged = is_flagged(safety)
    violence = names_sexual_violence(questionnaire, safety)
    without = AVOIDED_AFTER_SEXUAL_VIOLENCE if violence or sexual_violence_before else frozenset()
    safe = select_strategies(
        library, questionnaire, answers, focus, flagged=True, unhelpful=unhelpful, without=without
    )
    normal = select_strategies(
        library, questionnaire, answers, focus, flagged=False, unhelpful=unhelpful
    )
    return ScoredAssessment(
        scores=scores,
        bands={dimension: band(score) for dimension, score in scores.items()},
        overall=overall_of(questionnaire, scores),
        focus=focus,
        suggestions=normal,
        safe_suggestions=safe,
        flagged=flagged,
        names_sexual_violence=violence,
    )
