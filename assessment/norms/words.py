"""The scoring engine's verdicts in the reader's language (docs/architecture.md#languages).

``scoring`` names bands and changes with plain English codes and never imports Flask, so
the words a page shows for them are chosen here, at the web layer: one mapping from each
code to its catalog entry. The codes themselves still name CSS classes and export columns.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from scoring import (
    AREAS_DIFFER,
    QUESTIONS_CHANGED,
    RELIABLE_DECLINE,
    RELIABLE_IMPROVEMENT,
    SEE_DIFFERENTLY,
    SEE_SAME,
    WITHIN_NORMAL,
    band,
)

# NOTE: the three bands a score falls in; lowercase, they sit inside sentences and tables.
BAND_WORDS = {
    # NOTE: band of a score from 75 up.
    "strength": _l("strength"),
    # NOTE: band of a score from 50 to 74.9 (steady as in stable).
    "steady": _l("steady"),
    # NOTE: band of a score below 50; never "bad" or "weak".
    "growth": _l("room to grow"),
}
# NOTE: in a table cell, an area that was not answered enough to be scored.
UNSCORED_WORDS = _l("needs more answers")

CHANGE_WORDS = {
    RELIABLE_IMPROVEMENT: _l("reliable improvement"),
    RELIABLE_DECLINE: _l("reliable decline"),
    WITHIN_NORMAL: _l("within normal variation"),
    QUESTIONS_CHANGED: _l("the questions changed: not judged"),
    AREAS_DIFFER: _l("different areas scored: not judged"),
    # NOTE: partners' scores of an area differ by more than scores move on their own.
    SEE_DIFFERENTLY: _l("you see this differently"),
    SEE_SAME: _l("you see this much the same"),
}


def band_words(score: float | None) -> str:
    """The band of a score as people read it ("room to grow", never "bad")."""
    key = band(score)
    return str(BAND_WORDS[key] if key else UNSCORED_WORDS)


def change_words(label: str | None) -> str:
    """What a change (or a gap between partners) means, in the page's language; an unknown
    code is shown as it is."""
    if label is None:
        return ""
    words = CHANGE_WORDS.get(label)
    return str(words) if words is not None else label
