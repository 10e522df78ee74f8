"""Rekindle's scoring engine: pure functions over plain data and pandas.

Nothing here knows about Flask or SQLAlchemy; ``questionnaires.models`` supplies the types.
"""

from .assess import (
    AVOIDED_AFTER_SEXUAL_VIOLENCE,
    ScoredAssessment,
    is_flagged,
    names_sexual_violence,
    score_assessment,
)
from .change import (
    RCI_CRITICAL,
    RELIABLE_DECLINE,
    RELIABLE_IMPROVEMENT,
    WITHIN_NORMAL,
    DimensionChange,
    change_label,
    compare_scores,
    reliable_change_index,
    s_diff,
    standard_error,
)
from .dimensions import (
    BAND_LABELS,
    BANDS,
    Focus,
    band,
    dimension_score,
    dimension_scores,
    focus_areas,
    overall_score,
    required_answers,
)
from .gaps import SEE_DIFFERENTLY, SEE_SAME, Gap, pair_checkups, perception_gaps
from .history import changes_since, history_frame, score_or_none, scores_of, thin_series
from .keying import keyed_value
from .plans import (
    HELPED_CHOICES,
    TRIED_CHOICES,
    change_while_trying,
    changes_while_trying,
    closes_plan,
    counted_helped,
    unhelpful_strategies,
)
from .strategies import Suggestion, Trigger, order_candidates, select_strategies

__all__ = [
    "AVOIDED_AFTER_SEXUAL_VIOLENCE",
    "BANDS",
    "BAND_LABELS",
    "HELPED_CHOICES",
    "RCI_CRITICAL",
    "RELIABLE_DECLINE",
    "RELIABLE_IMPROVEMENT",
    "SEE_DIFFERENTLY",
    "SEE_SAME",
    "TRIED_CHOICES",
    "WITHIN_NORMAL",
    "DimensionChange",
    "Focus",
    "Gap",
    "ScoredAssessment",
    "Suggestion",
    "Trigger",
    "band",
    "change_label",
    "change_while_trying",
    "changes_since",
    "changes_while_trying",
    "closes_plan",
    "compare_scores",
    "counted_helped",
    "dimension_score",
    "dimension_scores",
    "focus_areas",
    "history_frame",
    "is_flagged",
    "keyed_value",
    "names_sexual_violence",
    "order_candidates",
    "overall_score",
    "pair_checkups",
    "perception_gaps",
    "reliable_change_index",
    "required_answers",
    "s_diff",
    "score_assessment",
    "score_or_none",
    "scores_of",
    "select_strategies",
    "standard_error",
    "thin_series",
    "unhelpful_strategies",
]
