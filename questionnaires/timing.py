"""How long a questionnaire takes, from its own words (docs/architecture.md#questionnaires).

One rule for every page that says how long: 250 words a minute for everything a person
reads to answer, plus 2 seconds to choose each answer. Counted from the definition, so a
new version's estimate follows its wording and nobody writes a figure by hand.
"""

from __future__ import annotations

import math
import re

from .models import Questionnaire

WORDS_PER_MINUTE = 250
SECONDS_PER_ANSWER = 2
# Yes / No / I'd rather not say: read once, as the scale's labels are.
SAFETY_CHOICE_WORDS = ("Yes", "No", "I'd rather not say")
_WORD = re.compile(r"[\w’'-]+")


def count_words(text: str) -> int:
    """Words as a reader counts them: "Doesn't" and "check-in" are one word each."""
    return len(_WORD.findall(text))


def words_to_read(questionnaire: Questionnaire) -> int:
    """The intro, every question, each answer label once, every safety question."""
    texts = [questionnaire.intro or ""]
    texts += [item.text for item in questionnaire.items]
    texts += questionnaire.scale.labels
    texts += sorted(
        {label for item in questionnaire.items if (label := item.left_label(questionnaire.scale))}
    )
    if questionnaire.safety:
        texts += [item.text for item in questionnaire.safety]
        texts += SAFETY_CHOICE_WORDS
    return sum(count_words(text) for text in texts)


def answers_to_give(questionnaire: Questionnaire) -> int:
    """One answer per question, safety questions included."""
    return len(questionnaire.items) + len(questionnaire.safety)


def seconds_to_answer(questionnaire: Questionnaire) -> float:
    """Reading at 250 words a minute, plus 2 seconds per answer."""
    reading = words_to_read(questionnaire) / WORDS_PER_MINUTE * 60
    return reading + SECONDS_PER_ANSWER * answers_to_give(questionnaire)


def minutes_to_answer(questionnaire: Questionnaire) -> int:
    """Whole minutes, rounded up: telling someone it is shorter than it is costs them more."""
    return max(1, math.ceil(seconds_to_answer(questionnaire) / 60))
