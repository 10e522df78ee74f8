"""How each language's safety texts were checked, as /about/measures says it
(translations/README.md records the work itself; docs/architecture.md#languages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .languages import spoken


@dataclass(frozen=True)
class SafetyTextReview:
    """One language's record: when its definitions were translated, translated back by a
    second translator who never saw the English, and compared line by line; and who, if
    anyone yet, reviewed its safety texts as a native-speaking domestic-abuse advocate."""

    language: str
    name: str  # the language by its own name
    compared_on: date
    advocate: str | None = None  # None until such a review is recorded


# Add a row when a language ships; fill ``advocate`` when an advocate's review is recorded
# in translations/README.md.
COMPARED_ON = {"es": date(2026, 12, 7), "fr": date(2026, 12, 7), "de": date(2026, 12, 7)}


def safety_text_reviews() -> list[SafetyTextReview]:
    """Every offered translation's record, in the chooser's order."""
    return [
        SafetyTextReview(language=code, name=name, compared_on=COMPARED_ON[code])
        for code, name in spoken().items()
        if code in COMPARED_ON
    ]
